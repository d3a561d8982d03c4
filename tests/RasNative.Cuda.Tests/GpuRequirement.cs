using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>
/// GPU tests: skipped with the probe's reason where there is no driver/GPU, failed where a GPU is present
/// but the backend cannot be created (a broken install must not pass as "skipped").
/// </summary>
static class GpuRequirement
{
    public static CudaBackend CreateBackend(CudaDType dtype)
    {
        var (available, reason) = GpuAvailability.Check();
        if (!available) Assert.Skip("no CUDA driver/GPU: " + reason);
        if (!CudaEnvironment.TryCreate(dtype, out var backend, out var failure)) Assert.Fail("GPU present but the CUDA backend failed: " + failure);
        return backend!;
    }
}
