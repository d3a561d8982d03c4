#!/usr/bin/env bash
# One-command GPU validation on a machine with an NVIDIA driver but no .NET, network or ../shared.
# Expects beside this script: a dotnet-runtime linux-x64 .tar.xz, the framework-dependent published
# RasNative.Cuda.Tests folder (test-bin/) and the fixtures folder (fixtures/); see docs/cuda.md.
# Usage: gpu-check.sh REPORT.md
set -uo pipefail

report=${1:?usage: gpu-check.sh REPORT.md}
here=$(cd "$(dirname "$0")" && pwd)
tests="$here/test-bin/RasNative.Cuda.Tests"
runtime_archive=$(ls "$here"/dotnet-runtime-*linux-x64.tar.xz 2>/dev/null | head -n1)
[ -n "$runtime_archive" ] || { echo "error: no dotnet-runtime-*-linux-x64.tar.xz beside $0" >&2; exit 1; }
[ -f "$tests" ] || [ -f "$tests.dll" ] || { echo "error: $here/test-bin/RasNative.Cuda.Tests not found" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dotnet"
tar -xJf "$runtime_archive" -C "$work/dotnet"
export DOTNET_ROOT="$work/dotnet" PATH="$work/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1
export RASNATIVE_FIXTURES="$here/fixtures" RASNATIVE_KERNEL_CACHE="$work/kernel-cache"

run_tests() { # $1 = label, rest = command prefix (empty or a sanitizer)
    local label=$1; shift
    local log="$work/$label.log"
    "$@" "$DOTNET_ROOT/dotnet" "$tests.dll" --no-progress >"$log" 2>&1
    local rc=$?
    {
        echo "## $label (exit $rc)"
        echo '```'
        tail -n 60 "$log"
        echo '```'
    } >>"$report"
    return $rc
}

{
    echo "# RasNative GPU check"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- device: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'nvidia-smi not found')"
    echo "- runtime: $(basename "$runtime_archive")"
    echo
} >"$report"

status=0
run_tests tests || status=1

sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null | head -n1)
if [ -n "$sanitizer" ]; then
    # The kernel cache is warm now, so the sanitized runs spend their time in the kernels, not NVRTC.
    run_tests memcheck "$sanitizer" --tool memcheck --error-exitcode 2 --target-processes all || status=1
    run_tests racecheck "$sanitizer" --tool racecheck --error-exitcode 2 --target-processes all || status=1
else
    echo "compute-sanitizer not found: memcheck/racecheck skipped" >>"$report"
fi

echo "overall: $([ $status -eq 0 ] && echo PASS || echo FAIL)" >>"$report"
echo "report written to $report"
exit $status
