using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>
/// Says which CUDA libraries and device the suite runs on (tools/gpu-check.sh and .ci/run print these lines from
/// the live output), and that an emulated device can never pass for a GPU.
/// </summary>
public class CudaEnvironmentTests(ITestOutputHelper output)
{
    [Fact]
    public void ReportsTheLibrariesAndTheDeviceInUse()
    {
        var (available, reason) = GpuAvailability.Check();
        output.WriteLine($"cuda libraries: {NativeLibraries.Describe()}");
        output.WriteLine($"cuda device: {(available ? reason : "none (" + reason + ")")}");
        if (!available) return;
        Assert.Equal(NativeLibraries.UsesEmulator, reason.StartsWith("RasNative CUDA emulator (CPU)", StringComparison.Ordinal));
        if (!NativeLibraries.TryLoad(NativeLibraries.Nvrtc, out _, out _)) return;
        output.WriteLine("cuda nvrtc: " + (NativeLibraries.UsesEmulator ? "emulated, " + EmulatorControl.NvrtcIdentity : NativeLibraries.LoadedPath(NativeLibraries.Nvrtc)));
    }
}
