#!/usr/bin/env bash
# Builds the GPU validation bundle (see docs/cuda.md) into one folder that a machine with an NVIDIA driver
# but no .NET SDK, network or ../shared can run: gpu-check.sh, a framework-dependent publish of
# RasNative.Cuda.Tests (test-bin/), this machine's .NET runtime as a dotnet-runtime-*-linux-x64.tar.xz and the
# fixture folders the GPU tests read. Fails if the folder reaches 64 MiB (the device tool's carry limit).
# Usage: tools/gpu-bundle.sh OUT_DIR   (fixtures from $RASNATIVE_FIXTURES, else ../shared/fixtures)
set -euo pipefail

out=${1:?usage: gpu-bundle.sh OUT_DIR}
repo=$(cd "$(dirname "$0")/.." && pwd)
fixtures=${RASNATIVE_FIXTURES:-$repo/../shared/fixtures}
limit_mib=64
# sd3/ and ras/ feed the SD3 model tests, vae/ the VAE decoder tests, text-encoders/ the encoder tests; the Lumina folders
# are shipped as soon as they exist.
fixture_sets=(sd3 ras lumina-next ras-lumina vae text-encoders sd3-pipeline sd3-single-file)

[ -d "$fixtures/sd3" ] && [ -d "$fixtures/ras" ] || { echo "error: $fixtures has no sd3/ and ras/ (set RASNATIVE_FIXTURES)" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "error: dotnet SDK not found" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/fixtures"
out=$(cd "$out" && pwd)

# The CUDA emulator is for machines without a GPU: it never goes into the bundle.
dotnet publish "$repo/tests/RasNative.Cuda.Tests" -c Release --no-self-contained -o "$out/test-bin" --nologo -v quiet -p:BuildCudaEmulator=false
if [ -e "$out/test-bin/emulator" ] || find "$out" -name 'librasnative-*-emulator.so' | grep -q .; then
    echo "error: the CUDA emulator's libraries reached the bundle" >&2
    exit 1
fi

for set in "${fixture_sets[@]}"; do
    if [ -d "$fixtures/$set" ]; then cp -rL "$fixtures/$set" "$out/fixtures/"; fi
done
chmod -R u+w "$out/fixtures" # the shared fixtures are read-only; keep the bundle deletable

# The runtime the tests were built against, in the layout of Microsoft's dotnet-runtime tarball
# (muxer, hostfxr, shared framework), so gpu-check.sh can unpack it as a DOTNET_ROOT.
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
version=$(ls "$root/shared/Microsoft.NETCore.App" | sort -V | tail -n1)
XZ_OPT=-9 tar -C "$root" -cJf "$out/dotnet-runtime-$version-linux-x64.tar.xz" \
    dotnet "host/fxr/$(ls "$root/host/fxr" | sort -V | tail -n1)" "shared/Microsoft.NETCore.App/$version"

cp "$repo/tools/gpu-check.sh" "$out/"
chmod +x "$out/gpu-check.sh"

size_kib=$(du -sk "$out" | cut -f1)
echo "bundle: $out ($((size_kib / 1024)) MiB: test-bin $(du -sh "$out/test-bin" | cut -f1), runtime $(du -sh "$out"/dotnet-runtime-*.tar.xz | cut -f1), fixtures $(du -sh "$out/fixtures" | cut -f1))"
if [ "$size_kib" -ge $((limit_mib * 1024)) ]; then
    echo "error: bundle is $((size_kib / 1024)) MiB, over the ${limit_mib} MiB limit" >&2
    exit 1
fi
