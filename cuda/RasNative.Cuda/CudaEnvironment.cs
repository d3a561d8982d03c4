using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>Creates a <see cref="CudaBackend"/> when the machine can run one, saying why not otherwise.</summary>
public static class CudaEnvironment
{
    public static bool TryCreate(CudaDType dtype, out CudaBackend? backend, out string reason)
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
            backend = new CudaBackend(dtype);
            reason = $"{backend.Device.Name} ({backend.Target}, {dtype})";
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
