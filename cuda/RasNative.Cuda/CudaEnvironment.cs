using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>
/// Creates a <see cref="CudaBackend"/> when the machine can run one (a GPU, or the CUDA emulator where
/// RASNATIVE_CUDA selects it), saying why not otherwise. A bad RASNATIVE_CUDA value is thrown, not returned.
/// </summary>
public static class CudaEnvironment
{
    public static bool TryCreate(CudaDType dtype, out CudaBackend? backend, out string reason, KernelSourceSet? kernelSources = null)
    {
        backend = null;
        var (available, why) = GpuAvailability.Check();
        if (!available)
        {
            reason = why;
            return false;
        }
        try
        {
            backend = new CudaBackend(dtype, kernelSources: kernelSources);
            reason = $"{backend.Device.Name} ({backend.Target}, {dtype}) on {NativeLibraries.Describe()}";
            return true;
        }
        catch (Exception e) when (e is CudaException or DllNotFoundException or EntryPointNotFoundException
                                      or NotSupportedException or InvalidOperationException)
        {
            reason = e.Message;
            return false;
        }
    }
}
