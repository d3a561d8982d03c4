using System.Text;
using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>
/// One GPU's primary context (or, on request, a context of its own), a non-blocking stream and a cuBLAS handle
/// bound to it. Every public entry point makes the context current first, because the caller's thread may
/// differ from the creator's.
/// </summary>
public sealed unsafe class CudaDevice : IDisposable
{
    readonly int device;
    readonly bool ownContext;
    bool disposed;

    /// <param name="ownContext">
    /// A context of its own instead of the device's primary one: a failed kernel's sticky error stays in it and
    /// every other backend of the process carries on (tests provoke such failures on purpose).
    /// </param>
    public CudaDevice(int ordinal, bool ownContext = false)
    {
        this.ownContext = ownContext;
        Driver.Check(Driver.cuInit(0));
        Driver.Check(Driver.cuDeviceGet(out device, ordinal));
        IntPtr context;
        if (ownContext)
        {
            Driver.Check(Driver.cuCtxCreate(out context, 0, device));
        }
        else
        {
            HoldPrimaryContext(device);
            Driver.Check(Driver.cuDevicePrimaryCtxRetain(out context, device));
        }
        Context = context;
        MakeCurrent();
        Name = DeviceName(device);
        Driver.Check(Driver.cuDeviceGetAttribute(out var major, Driver.AttributeComputeCapabilityMajor, device));
        Driver.Check(Driver.cuDeviceGetAttribute(out var minor, Driver.AttributeComputeCapabilityMinor, device));
        Driver.Check(Driver.cuDeviceGetAttribute(out var sms, Driver.AttributeMultiprocessorCount, device));
        Driver.Check(Driver.cuDeviceGetAttribute(out var clock, Driver.AttributeClockRate, device));
        ComputeCapability = (major, minor);
        Multiprocessors = sms;
        ClockKHz = clock;
        Driver.Check(Driver.cuStreamCreate(out var stream, Driver.StreamNonBlocking));
        Stream = stream;
        Cublas.Check(Cublas.cublasCreate(out var blas));
        Blas = blas;
        Cublas.Check(Cublas.cublasSetStream(Blas, Stream));
        // Default math: tensor cores for fp16/bf16 inputs, but never TF32 for fp32 (parity with the CPU).
        Cublas.Check(Cublas.cublasSetMathMode(Blas, Cublas.DefaultMath));
    }

    static readonly HashSet<int> HeldDevices = [];

    /// <summary>
    /// One retain of the primary context that is never released, so it lives as long as the process: otherwise
    /// every last backend's dispose destroys it and the next backend pays for a new one (and its modules).
    /// </summary>
    static void HoldPrimaryContext(int device)
    {
        lock (HeldDevices)
        {
            if (!HeldDevices.Add(device)) return;
            Driver.Check(Driver.cuDevicePrimaryCtxRetain(out _, device));
        }
    }

    public IntPtr Context { get; }

    public IntPtr Stream { get; }

    public IntPtr Blas { get; }

    public string Name { get; }

    public (int Major, int Minor) ComputeCapability { get; }

    public int Multiprocessors { get; }

    /// <summary>The maximum SM clock in kHz (CU_DEVICE_ATTRIBUTE_CLOCK_RATE).</summary>
    public int ClockKHz { get; }

    public void MakeCurrent() => Driver.Check(Driver.cuCtxSetCurrent(Context));

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
        if (ownContext) Driver.cuCtxDestroy(Context);
        else Driver.cuDevicePrimaryCtxRelease(device);
    }
}
