using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>
/// Compile tests need a real NVRTC (directly, or behind the emulated one): skipped without it locally, a failure
/// under CI=true (.ci/install-nvrtc.sh installs it).
/// </summary>
static class NvrtcRequirement
{
    public static void Ensure()
    {
        bool loaded = NativeLibraries.TryLoad(NativeLibraries.Nvrtc, out _, out var reason);
        if (loaded && (!NativeLibraries.UsesEmulator || EmulatorControl.HasRealNvrtc)) return;
        if (loaded) reason = "the CUDA emulator found no real NVRTC (libnvrtc.so.13/.12/.11.2) to compile with";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("NVRTC is required in CI (run .ci/install-nvrtc.sh): " + reason);
        Assert.Skip("NVRTC not installed: " + reason);
    }
}
