using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>
/// GPU tests: run on a GPU, or on the CUDA emulator where no driver is installed (EmulatorFallback); skipped with
/// the probe's reason where neither is available, failed where a device is present but the backend cannot be
/// created (a broken install must not pass as "skipped").
/// </summary>
static class GpuRequirement
{
    public static CudaBackend CreateBackend(CudaDType dtype, KernelSourceSet? kernelSources = null)
    {
        var (available, reason) = GpuAvailability.Check();
        if (!available) Assert.Skip("no CUDA driver/GPU: " + reason);
        if (!CudaEnvironment.TryCreate(dtype, out var backend, out var failure, kernelSources))
            Assert.Fail($"CUDA device present but the backend failed: {failure} ({Libraries})");
        return backend!;
    }

    /// <summary>A backend in a context of its own, for tests that make a kernel fail on purpose.</summary>
    public static CudaBackend CreateIsolatedBackend(CudaDType dtype, KernelSourceSet? kernelSources = null)
    {
        var (available, reason) = GpuAvailability.Check();
        if (!available) Assert.Skip("no CUDA driver/GPU: " + reason);
        return new CudaBackend(dtype, kernelSources: kernelSources, ownContext: true);
    }

    /// <summary>Which libraries the tests run on, for failure messages.</summary>
    public static string Libraries => NativeLibraries.Describe();
}
