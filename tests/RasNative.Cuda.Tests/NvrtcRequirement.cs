using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>Compile tests need NVRTC: skipped without it locally, a failure under CI=true (.ci/install-nvrtc.sh installs it).</summary>
static class NvrtcRequirement
{
    public static void Ensure()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Nvrtc, out _, out var reason)) return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("NVRTC is required in CI (run .ci/install-nvrtc.sh): " + reason);
        Assert.Skip("NVRTC not installed: " + reason);
    }
}
