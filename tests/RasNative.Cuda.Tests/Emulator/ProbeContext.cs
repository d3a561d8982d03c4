using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// A context of its own (a failure a test provokes stays in it, as the driver keeps sticky errors per context),
/// current on the test's thread, with a non-blocking stream and the test-only kernels of probes.cu loaded.
/// </summary>
sealed unsafe class ProbeContext : IDisposable
{
    readonly IntPtr module;

    public ProbeContext()
    {
        var (available, reason) = GpuAvailability.Check();
        if (!available) Assert.Skip("no CUDA driver/GPU: " + reason);
        Driver.Check(Driver.cuDeviceGet(out var device, 0));
        Driver.Check(Driver.cuCtxCreate(out var context, 0, device));
        Context = context;
        Driver.Check(Driver.cuStreamCreate(out var stream, Driver.StreamNonBlocking));
        Stream = stream;
        Driver.Check(Driver.cuDeviceGetAttribute(out var major, Driver.AttributeComputeCapabilityMajor, device));
        Driver.Check(Driver.cuDeviceGetAttribute(out var minor, Driver.AttributeComputeCapabilityMinor, device));
        var image = KernelCompiler.CompileCached(Source, KernelSourceSet.Embedded.Headers, KernelCompiler.TargetFor(major, minor), CudaDType.F32,
            new KernelCache(KernelCache.DefaultDirectory));
        fixed (byte* p = image) Driver.Check(Driver.cuModuleLoadData(out module, p));
    }

    public static KernelSource Source { get; } = new("probes.cu", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Emulator", "probes.cu")));

    public IntPtr Context { get; }

    public IntPtr Stream { get; }

    /// <summary>The CUresult of queueing <paramref name="kernel"/> with one-dimensional grid and block.</summary>
    public int Launch(string kernel, uint blocks, uint threads, params KernelArg[] args) => Launch(kernel, blocks, threads, 0, args);

    public int Launch(string kernel, uint blocks, uint threads, uint sharedBytes, params KernelArg[] args)
    {
        Driver.Check(Driver.cuModuleGetFunction(out var function, module, kernel));
        var values = stackalloc ulong[args.Length];
        var pointers = stackalloc void*[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            values[i] = args[i].Bits;
            pointers[i] = &values[i];
        }
        return Driver.cuLaunchKernel(function, blocks, 1, 1, threads, 1, 1, sharedBytes, Stream, pointers, null);
    }

    public ulong Allocate(long bytes)
    {
        Driver.Check(Driver.cuMemAlloc(out var pointer, (nuint)bytes));
        return pointer;
    }

    public ulong Upload<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var pointer = Allocate(values.Length * sizeof(T));
        fixed (T* p = values) Driver.Check(Driver.cuMemcpyHtoDAsync(pointer, p, (nuint)(values.Length * sizeof(T)), Stream));
        return pointer;
    }

    /// <summary>Copies into pageable memory: complete when it returns.</summary>
    public T[] Download<T>(ulong pointer, int count) where T : unmanaged
    {
        var values = new T[count];
        fixed (T* p = values) Driver.Check(Driver.cuMemcpyDtoHAsync(p, pointer, (nuint)(count * sizeof(T)), Stream));
        return values;
    }

    public int Synchronize() => Driver.cuStreamSynchronize(Stream);

    /// <summary>Destroying the context frees its memory and module, also after a sticky error.</summary>
    public void Dispose()
    {
        Driver.cuCtxDestroy(Context);
    }
}
