#!/usr/bin/env bash
# One-command GPU validation on a machine with an NVIDIA driver but no .NET, network or ../shared.
# Expects beside this script what tools/gpu-bundle.sh puts there: a dotnet-runtime-*-linux-x64.tar.xz, the
# framework-dependent publish of RasNative.Cuda.Tests (test-bin/) and the fixtures (fixtures/); see docs/cuda.md.
# Writes a markdown report, plus each run's full log and xUnit XML beside it (REPORT.<run>.log/.xml).
# Exit: 0 every run passed on a GPU, 1 a run failed, 2 no usable GPU (GPU tests skipped, the rest passed).
# Per-run limits (seconds) keep the whole check inside a 10-minute remote call: GPU_CHECK_TEST_TIMEOUT (300),
# GPU_CHECK_SANITIZER_TIMEOUT (120, each of memcheck and racecheck, which run only the op parity tests).
# Usage: gpu-check.sh REPORT.md
set -uo pipefail

report=${1:?usage: gpu-check.sh REPORT.md}
mkdir -p "$(dirname "$report")"
report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
here=$(cd "$(dirname "$0")" && pwd)
tests="$here/test-bin/RasNative.Cuda.Tests.dll"
runtime_archive=$(ls "$here"/dotnet-runtime-*linux-x64.tar.xz 2>/dev/null | head -n1)
[ -n "$runtime_archive" ] || { echo "error: no dotnet-runtime-*-linux-x64.tar.xz beside $0" >&2; exit 1; }
[ -f "$tests" ] || { echo "error: $tests not found" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dotnet"
tar -xJf "$runtime_archive" -C "$work/dotnet"
export DOTNET_ROOT="$work/dotnet" PATH="$work/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export RASNATIVE_FIXTURES="$here/fixtures" RASNATIVE_KERNEL_CACHE="$work/kernel-cache"

# The libraries the backend resolves (docs/cuda.md lists the full search order); shown so a failure to
# create the backend can be told apart from a kernel bug at a glance.
native_libraries() {
    local pattern='libcuda\.so|libcublas(Lt)?\.so|libnvrtc\.so|libnvToolsExt|libnvtx3interop'
    ldconfig -p 2>/dev/null | grep -E "$pattern" | awk '{print "  - " $NF}' | sort -u
    for dir in ${CUDA_PATH:-} ${CUDA_HOME:-} /usr/local/cuda; do
        ls "$dir"/lib64 2>/dev/null | grep -E "$pattern" | sed "s|^|  - $dir/lib64/|"
    done
    ls -d /usr/local/lib/python3*/*-packages/nvidia/*/lib /usr/lib/python3*/*-packages/nvidia/*/lib \
        "$HOME"/.local/lib/python3*/*-packages/nvidia/*/lib 2>/dev/null | sed 's|^|  - pip wheel: |'
}

run_tests() { # $1 = label, $2 = timeout (s), $3 = xUnit filter args (word-split), rest = command prefix (a sanitizer)
    local label=$1 limit=$2 filter=$3
    shift 3
    local log="${report%.md}.$label.log" xml="${report%.md}.$label.xml"
    # shellcheck disable=SC2086 # the filter is deliberately split into arguments
    timeout "$limit" "$@" "$DOTNET_ROOT/dotnet" "$tests" -noColor -xml "$xml" $filter >"$log" 2>&1
    local rc=$?
    local verdict=PASS
    [ $rc -eq 0 ] || verdict=FAIL
    [ $rc -eq 124 ] && verdict="FAIL (timed out after ${limit}s)"
    {
        echo "## $label: $verdict (exit $rc)"
        echo
        echo '```'
        grep -E 'Total: [0-9]+' "$log" || echo "(no summary line: the run did not finish)"
        echo '```'
        if grep -q '\[FAIL\]' "$log"; then
            echo
            echo "Failures (first 200 lines; full log: $(basename "$log")):"
            echo '```'
            grep -A 25 '\[FAIL\]' "$log" | head -n 200
            echo '```'
        elif [ $rc -ne 0 ]; then
            echo
            echo "Last lines of $(basename "$log"):"
            echo '```'
            tail -n 40 "$log"
            echo '```'
        fi
        echo
    } >>"$report"
    return $rc
}

{
    echo "# RasNative GPU check"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- host: $(uname -srm)"
    echo "- device: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'nvidia-smi not found')"
    echo "- runtime: $(basename "$runtime_archive")"
    echo "- fixtures: $(ls "$here/fixtures" 2>/dev/null | tr '\n' ' ')"
    echo "- CUDA libraries found:"
    native_libraries
    echo
} >"$report"

status=0
run_tests tests "${GPU_CHECK_TEST_TIMEOUT:-300}" "" || status=1

# The GPU tests skip with "no CUDA driver/GPU: <reason>" when the probe finds none: nothing GPU-side ran.
no_gpu=$(grep -m1 -o 'no CUDA driver/GPU: .*' "${report%.md}.tests.log" || true)
if [ -n "$no_gpu" ]; then
    echo "**No usable GPU** — GPU tests skipped, sanitizers not run: ${no_gpu#no CUDA driver/GPU: }" >>"$report"
    echo >>"$report"
else
    sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null | head -n1)
    if [ -n "$sanitizer" ]; then
        # The kernel cache is warm now, so the sanitized runs spend their time in the kernels, not NVRTC.
        parity="-class RasNative.Cuda.Tests.Parity.OpParityTests"
        limit=${GPU_CHECK_SANITIZER_TIMEOUT:-120}
        run_tests memcheck "$limit" "$parity" "$sanitizer" --tool memcheck --error-exitcode 2 --target-processes all || status=1
        run_tests racecheck "$limit" "$parity" "$sanitizer" --tool racecheck --error-exitcode 2 --target-processes all || status=1
    else
        echo "compute-sanitizer not found: memcheck/racecheck skipped" >>"$report"
        echo >>"$report"
    fi
fi

if [ $status -ne 0 ]; then overall=FAIL; elif [ -n "$no_gpu" ]; then overall="NO GPU"; status=2; else overall=PASS; fi
echo "**overall: $overall**" >>"$report"
echo "report written to $report ($overall)"
exit $status
