#!/usr/bin/env bash
# One-command GPU validation on a machine with an NVIDIA driver but no .NET, network or ../shared.
# Expects beside this script what tools/gpu-bundle.sh puts there: a dotnet-runtime-*-linux-x64.tar.xz, the
# framework-dependent publish of RasNative.Cuda.Tests (test-bin/) and the fixtures (fixtures/); see docs/cuda.md.
# Writes a markdown report, plus each run's full log and xUnit XML beside it (REPORT.<run>.log/.xml).
# The report names the CUDA driver library the tests loaded and the device they ran on: a run on the CUDA
# emulator (RASNATIVE_CUDA=emulator) is reported as "NO GPU", never as a GPU pass.
# Exit: 0 every run passed on a GPU, 1 a run failed, 2 no usable GPU (GPU tests skipped, the rest passed).
# Time (a lent GPU has 15 minutes, start-up included, and a rerun must fit): the test run is limited to
# GPU_CHECK_TEST_TIMEOUT seconds (240); compute-sanitizer memcheck and racecheck over the op parity tests run
# only with GPU_CHECK_SANITIZERS=1 (GPU_CHECK_SANITIZER_TIMEOUT seconds each, 120).
# RASNATIVE_CUDA_SYNC=1 in the environment makes the backend synchronise after every launch, so the first
# failing kernel is the one named.
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
# tar needs the xz program for .xz; Python's lzma module unpacks it where xz is missing.
if command -v xz >/dev/null; then
    tar -xJf "$runtime_archive" -C "$work/dotnet" || { echo "error: cannot unpack $runtime_archive" >&2; exit 1; }
elif command -v python3 >/dev/null; then
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$runtime_archive" "$work/dotnet" \
        || { echo "error: cannot unpack $runtime_archive with python3" >&2; exit 1; }
else
    echo "error: unpacking $runtime_archive needs xz or python3" >&2
    exit 1
fi
# HOME may be unset on a lent machine: nothing below needs it (the kernel cache is given explicitly).
export DOTNET_ROOT="$work/dotnet" PATH="$work/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_HOME="$work"
export RASNATIVE_FIXTURES="$here/fixtures" RASNATIVE_KERNEL_CACHE="$work/kernel-cache"

# The libraries the backend can find (docs/cuda.md lists the full search order); the one it loaded is
# reported separately from the test run.
native_libraries() {
    local pattern='libcuda\.so|libcublas(Lt)?\.so|libnvrtc\.so|libnvToolsExt|libnvtx3interop'
    ldconfig -p 2>/dev/null | grep -E "$pattern" | awk '{print "  - " $NF}' | sort -u
    for dir in ${CUDA_PATH:-} ${CUDA_HOME:-} /usr/local/cuda; do
        ls "$dir"/lib64 2>/dev/null | grep -E "$pattern" | sed "s|^|  - $dir/lib64/|"
    done
    ls -d /usr/local/lib/python3*/*-packages/nvidia/*/lib /usr/lib/python3*/*-packages/nvidia/*/lib \
        ${HOME:+"$HOME"/.local/lib/python3*/*-packages/nvidia/*/lib} 2>/dev/null | sed 's|^|  - pip wheel: |'
}

run_tests() { # $1 = label, $2 = timeout (s), $3 = xUnit filter args (word-split), rest = command prefix (a sanitizer)
    local label=$1 limit=$2 filter=$3
    shift 3
    local log="${report%.md}.$label.log" xml="${report%.md}.$label.xml"
    # shellcheck disable=SC2086 # the filter is deliberately split into arguments
    timeout "$limit" "$@" "$DOTNET_ROOT/dotnet" "$tests" -noColor -showLiveOutput -xml "$xml" $filter >"$log" 2>&1
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
    echo "- nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'not found')"
    echo "- runtime: $(basename "$runtime_archive")"
    echo "- fixtures: $(ls "$here/fixtures" 2>/dev/null | tr '\n' ' ')"
    echo "- RASNATIVE_CUDA=${RASNATIVE_CUDA:-} RASNATIVE_CUDA_SYNC=${RASNATIVE_CUDA_SYNC:-}"
    echo "- CUDA libraries found:"
    native_libraries
    echo
} >"$report"

status=0
run_tests tests "${GPU_CHECK_TEST_TIMEOUT:-240}" "" || status=1

# What the tests loaded and ran on (CudaEnvironmentTests prints it); an emulated device never counts as a GPU.
tests_log="${report%.md}.tests.log"
loaded=$(grep -m1 -o 'cuda libraries: .*' "$tests_log" || echo "cuda libraries: (not reported)")
device=$(grep -m1 -o 'cuda device: .*' "$tests_log" || echo "cuda device: (not reported)")
nvrtc=$(grep -m1 -o 'cuda nvrtc: .*' "$tests_log" || echo "cuda nvrtc: (not reported)")
{
    echo "- loaded: ${loaded#cuda libraries: }"
    echo "- device: ${device#cuda device: }"
    echo "- nvrtc: ${nvrtc#cuda nvrtc: }"
    echo
} >>"$report"
echo "$loaded"
echo "$device"

no_gpu=$(grep -m1 -o 'no CUDA driver/GPU: .*' "$tests_log" || true)
case "$loaded" in *"cuda libraries: emulator"*) no_gpu="the tests ran on the CUDA emulator (${loaded#cuda libraries: })" ;; esac
if [ -n "$no_gpu" ]; then
    echo "**No usable GPU** — GPU tests skipped or emulated, sanitizers not run: ${no_gpu#no CUDA driver/GPU: }" >>"$report"
    echo >>"$report"
elif [ "${GPU_CHECK_SANITIZERS:-0}" = 1 ]; then
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
else
    echo "Sanitizers not run (GPU_CHECK_SANITIZERS=1 adds memcheck and racecheck of the op parity tests)." >>"$report"
    echo >>"$report"
fi

if [ $status -ne 0 ]; then overall=FAIL; elif [ -n "$no_gpu" ]; then overall="NO GPU"; status=2; else overall=PASS; fi
echo "**overall: $overall**" >>"$report"
echo "report written to $report ($overall)"
exit $status
