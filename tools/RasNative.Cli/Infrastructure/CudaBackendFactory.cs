using RasNative.Cuda;
using RasNative.Runtime.Backends;

namespace RasNative.Cli.Infrastructure;

/// <summary>Creates the CUDA backend, or says in one line why this machine cannot.</summary>
public static class CudaBackendFactory
{
    public static IBackend Create(string dtype)
    {
        var computeType = dtype switch
        {
            "fp32" => CudaDType.F32,
            "fp16" => CudaDType.F16,
            "bf16" => CudaDType.BF16,
            _ => throw new UsageException($"--dtype {dtype}: expected fp32, bf16 or fp16"),
        };
        return CudaEnvironment.TryCreate(computeType, out var backend, out var reason)
            ? backend!
            : throw new InvalidOperationException($"--backend cuda: {reason}");
    }

    /// <summary>Free device memory of GPU 0, or the reason this machine has none.</summary>
    public static long FreeDeviceBytes()
    {
        var (available, reason) = GpuAvailability.Check();
        if (!available) throw new InvalidOperationException($"--backend cuda: {reason}");
        return CudaDevice.FreeMemory();
    }
}
