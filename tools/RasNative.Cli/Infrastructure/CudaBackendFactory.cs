using RasNative.Cuda;
using RasNative.Cuda.Native;
using RasNative.Runtime.Backends;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// Creates the CUDA backend, or says in one line why this machine cannot. RASNATIVE_CUDA picks the libraries
/// (auto/gpu: the real ones, emulator: the CPU-hosted emulator); another value is a usage error.
/// </summary>
public static class CudaBackendFactory
{
    public static IBackend Create(string dtype)
    {
        var mode = CudaLibraryModes.FromEnvironment();
        var computeType = dtype switch
        {
            "fp32" => CudaDType.F32,
            "fp16" => CudaDType.F16,
            "bf16" => CudaDType.BF16,
            _ => throw new UsageException($"--dtype {dtype}: expected fp32, bf16 or fp16"),
        };
        if (CudaEnvironment.TryCreate(computeType, out var backend, out var reason)) return backend!;
        string hint = mode == CudaLibraryMode.Emulator ? "" : " (RASNATIVE_CUDA=emulator runs the CUDA backend on the CPU-hosted emulator)";
        throw new InvalidOperationException($"--backend cuda: {reason}{hint}");
    }

    /// <summary>Free device memory of GPU 0, or the reason this machine has none.</summary>
    public static long FreeDeviceBytes()
    {
        var (available, reason) = GpuAvailability.Check();
        if (!available) throw new InvalidOperationException($"--backend cuda: {reason}");
        return CudaDevice.FreeMemory();
    }
}
