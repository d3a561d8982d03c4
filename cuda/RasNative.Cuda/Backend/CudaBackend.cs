using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>
/// <see cref="IBackend"/> on one GPU: tensors live in <see cref="CudaDType"/> storage, every op is one
/// NVRTC-compiled kernel or cuBLAS call queued on one stream (float accumulation throughout), and the host
/// waits only in <see cref="Download"/> / <see cref="Synchronize"/>. Each op is an NVTX range named after it.
/// Every device call goes through <see cref="Calls"/>, which counts it.
/// </summary>
public sealed partial class CudaBackend : IBackend
{
    const int BlockSize = 256;

    readonly CudaDevice device;
    readonly CudaCalls calls;
    readonly KernelModules kernels;
    readonly List<ulong> allocations = [];
    bool disposed;

    /// <param name="kernelSources">The kernels to compile (default: $RASNATIVE_KERNEL_SOURCES, else the embedded ones).</param>
    /// <param name="ownContext">A context of its own rather than the primary one (see <see cref="CudaDevice"/>).</param>
    public CudaBackend(CudaDType dtype, int deviceOrdinal = 0, string? kernelCacheDirectory = null, KernelSourceSet? kernelSources = null, bool ownContext = false)
    {
        DType = dtype;
        device = new CudaDevice(deviceOrdinal, ownContext);
        calls = new CudaCalls(device);
        try
        {
            var (major, minor) = device.ComputeCapability;
            Target = KernelCompiler.TargetFor(major, minor);
            kernels = new KernelModules(Target, dtype, new KernelCache(kernelCacheDirectory ?? KernelCache.DefaultDirectory),
                kernelSources ?? KernelSourceSet.Default);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    public string Name => "cuda";

    public CudaDType DType { get; }

    public CudaDevice Device => device;

    /// <summary>The device's peak for this backend's compute dtype (null where the architecture is not tabled).</summary>
    public DevicePeak? Peak => DevicePeak.For(device.ComputeCapability, device.Multiprocessors, device.ClockKHz, DType);

    /// <summary>The counted layer every device call goes through; its <see cref="CudaCalls.Counters"/> are this backend's.</summary>
    public CudaCalls Calls => calls;

    /// <summary>The NVRTC target the kernels were built for (sm_XY, or compute_XY when JIT-compiled by the driver).</summary>
    public string Target { get; }

    int ElementSize => DType.ElementSize();

    public void Synchronize()
    {
        device.MakeCurrent();
        calls.Synchronize();
    }

    public IDisposable Range(string name)
    {
        device.MakeCurrent();
        return calls.Range(name);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (widenScratch != 0) FreeScratch(widenScratch);
        // Unchecked: after a failed kernel the context's error must surface where the op was called, not here.
        device.MakeCurrent();
        Driver.cuStreamSynchronize(device.Stream);
        foreach (var pointer in allocations) calls.Free(pointer);
        allocations.Clear();
        kernels.Dispose();
        device.Dispose();
    }

    /// <summary>Per-op prologue: context current on this thread, NVTX range open until disposed.</summary>
    Nvtx.Scope Op(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        device.MakeCurrent();
        return Nvtx.Range(name);
    }

    /// <summary>Device address of a tensor view's first element; the tensor must belong to this backend.</summary>
    ulong Ptr(Tensor tensor) => tensor.Storage is CudaStorage storage && storage.DType == DType
        ? storage.Pointer + (ulong)(tensor.Offset * ElementSize)
        : throw new ArgumentException($"{tensor} is not {DType} CUDA memory of this backend");

    static ulong Ptr(IndexList indices) => indices is CudaIndexList list
        ? list.Pointer
        : throw new ArgumentException("index list was not uploaded by a CUDA backend");

    static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
