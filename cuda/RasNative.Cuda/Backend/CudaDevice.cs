using System.Text;
using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>
/// One GPU's primary context, a non-blocking stream and a cuBLAS handle bound to it. Every public entry
/// point makes the context current first, because the caller's thread may differ from the creator's.
/// </summary>
public sealed unsafe class CudaDevice : IDisposable
{
    readonly int device;
    bool disposed;

    public CudaDevice(int ordinal)
    {
        Driver.Check(Driver.cuInit(0));
        Driver.Check(Driver.cuDeviceGet(out device, ordinal));
        Driver.Check(Driver.cuDevicePrimaryCtxRetain(out var context, device));
        Context = context;
        MakeCurrent();
        Name = DeviceName(device);
        Driver.Check(Driver.cuDeviceGetAttribute(out var major, Driver.AttributeComputeCapabilityMajor, device));
        Driver.Check(Driver.cuDeviceGetAttribute(out var minor, Driver.AttributeComputeCapabilityMinor, device));
        Driver.Check(Driver.cuDeviceGetAttribute(out var sms, Driver.AttributeMultiprocessorCount, device));
        ComputeCapability = (major, minor);
        Multiprocessors = sms;
        Driver.Check(Driver.cuStreamCreate(out var stream, Driver.StreamNonBlocking));
        Stream = stream;
        Cublas.Check(Cublas.cublasCreate(out var blas));
        Blas = blas;
        Cublas.Check(Cublas.cublasSetStream(Blas, Stream));
        // Default math: tensor cores for fp16/bf16 inputs, but never TF32 for fp32 (parity with the CPU).
        Cublas.Check(Cublas.cublasSetMathMode(Blas, Cublas.DefaultMath));
    }

    public IntPtr Context { get; }

    public IntPtr Stream { get; }

    public IntPtr Blas { get; }

    public string Name { get; }

    public (int Major, int Minor) ComputeCapability { get; }

    public int Multiprocessors { get; }

    public void MakeCurrent() => Driver.Check(Driver.cuCtxSetCurrent(Context));

    public void Synchronize()
    {
        MakeCurrent();
        Driver.Check(Driver.cuStreamSynchronize(Stream));
    }

    /// <summary>
    /// Device memory free now (cuMemGetInfo in the device's primary context, retained for the query only), for the
    /// memory checks made before anything is loaded.
    /// </summary>
    public static long FreeMemory(int ordinal = 0)
    {
        Driver.Check(Driver.cuInit(0));
        Driver.Check(Driver.cuDeviceGet(out int device, ordinal));
        Driver.Check(Driver.cuDevicePrimaryCtxRetain(out var context, device));
        try
        {
            Driver.Check(Driver.cuCtxSetCurrent(context));
            Driver.Check(Driver.cuMemGetInfo(out var free, out _));
            return (long)free;
        }
        finally
        {
            Driver.cuDevicePrimaryCtxRelease(device);
        }
    }

    internal static string DeviceName(int device)
    {
        var buffer = stackalloc byte[256];
        Driver.Check(Driver.cuDeviceGetName(buffer, 256, device));
        var name = new ReadOnlySpan<byte>(buffer, 256);
        int end = name.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        MakeCurrent();
        Driver.cuStreamSynchronize(Stream);
        Cublas.cublasDestroy(Blas);
        Driver.cuStreamDestroy(Stream);
        Driver.cuDevicePrimaryCtxRelease(device);
    }
}
