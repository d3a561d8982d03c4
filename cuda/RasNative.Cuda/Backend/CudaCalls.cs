using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>
/// The one layer every device call of a backend goes through (launches, cuBLAS, copies, synchronisations,
/// allocations, graphs): each is counted in <see cref="Counters"/> on the way, so a real and an emulated run
/// count the same work. With RASNATIVE_CUDA_SYNC=1 the stream is synchronised after every launch, cuBLAS call
/// and copy, so the first failing kernel is the one named in the error (those synchronisations count as syncs).
/// </summary>
public sealed unsafe class CudaCalls(CudaDevice device)
{
    public const string SyncVariable = "RASNATIVE_CUDA_SYNC";

    readonly bool synchronizeEach = Environment.GetEnvironmentVariable(SyncVariable) == "1";
    readonly Dictionary<ulong, long> sizes = [];

    public CudaCounters Counters { get; } = new();

    public void Launch(IntPtr function, string kernel, uint blocks, uint threads, uint sharedBytes, void** args)
    {
        Driver.Check(Driver.cuLaunchKernel(function, blocks, 1, 1, threads, 1, 1, sharedBytes, device.Stream, args, null), $"cuLaunchKernel({kernel})");
        Counters.Launch(kernel);
        AfterWork("kernel " + kernel);
    }

    public void GemmEx(int transa, int transb, int m, int n, int k, float alpha, ulong a, int aType, int lda, ulong b, int bType, int ldb,
        float beta, ulong c, int cType, int ldc)
    {
        Cublas.Check(Cublas.cublasGemmEx(device.Blas, transa, transb, m, n, k, &alpha, a, aType, lda, b, bType, ldb, &beta, c, cType, ldc,
            Cublas.Compute32F, Cublas.GemmDefault));
        Counters.BlasCall();
        AfterWork("cublasGemmEx");
    }

    public void GemmStridedBatchedEx(int transa, int transb, int m, int n, int k, float alpha, ulong a, int aType, int lda, long strideA,
        ulong b, int bType, int ldb, long strideB, float beta, ulong c, int cType, int ldc, long strideC, int batch)
    {
        Cublas.Check(Cublas.cublasGemmStridedBatchedEx(device.Blas, transa, transb, m, n, k, &alpha, a, aType, lda, strideA, b, bType, ldb, strideB,
            &beta, c, cType, ldc, strideC, batch, Cublas.Compute32F, Cublas.GemmDefault));
        Counters.BlasCall();
        AfterWork("cublasGemmStridedBatchedEx");
    }

    /// <summary>cublasLtMatmul with beta 0 (C = D) on the device's stream; the descriptors and the algorithm come from <see cref="LtMatmulPlans"/>.</summary>
    public void LtMatmul(IntPtr desc, ulong a, IntPtr aLayout, ulong b, IntPtr bLayout, ulong d, IntPtr dLayout, void* algo, ulong workspace, nuint workspaceBytes)
    {
        float alpha = 1, beta = 0;
        CublasLt.Check(CublasLt.cublasLtMatmul(device.Lt, desc, &alpha, a, aLayout, b, bLayout, &beta, d, dLayout, d, dLayout, algo, workspace,
            workspaceBytes, device.Stream));
        Counters.BlasCall();
        AfterWork("cublasLtMatmul");
    }

    /// <summary>From pageable memory: the driver stages the bytes before returning, so the source may go away.</summary>
    public void CopyHostToDevice(ulong destination, void* source, nuint bytes)
    {
        Driver.Check(Driver.cuMemcpyHtoDAsync(destination, source, bytes, device.Stream));
        Counters.Copy();
        AfterWork("cuMemcpyHtoDAsync");
    }

    /// <summary>Into pageable memory the copy completes before the call returns (after the stream's earlier work): a copy and a sync.</summary>
    public void CopyDeviceToHost(void* destination, ulong source, nuint bytes)
    {
        Driver.Check(Driver.cuMemcpyDtoHAsync(destination, source, bytes, device.Stream));
        Counters.Copy();
        Counters.Sync();
    }

    public void CopyDeviceToDevice(ulong destination, ulong source, nuint bytes)
    {
        Driver.Check(Driver.cuMemcpyDtoDAsync(destination, source, bytes, device.Stream));
        Counters.Copy();
        AfterWork("cuMemcpyDtoDAsync");
    }

    public void Memset32(ulong destination, uint value, nuint count)
    {
        Driver.Check(Driver.cuMemsetD32Async(destination, value, count, device.Stream));
        Counters.Copy();
        AfterWork("cuMemsetD32Async");
    }

    public void Synchronize()
    {
        Driver.Check(Driver.cuStreamSynchronize(device.Stream));
        Counters.Sync();
    }

    /// <summary>Long-lived device memory (cuMemAlloc).</summary>
    public ulong Allocate(long bytes)
    {
        Driver.Check(Driver.cuMemAlloc(out var pointer, (nuint)bytes));
        Allocated(pointer, bytes);
        return pointer;
    }

    /// <summary>cuMemFree waits for the device, so it counts as a sync too. Never throws (it runs in Dispose).</summary>
    public void Free(ulong pointer)
    {
        Driver.cuMemFree(pointer);
        Counters.Sync();
        Freed(pointer);
    }

    /// <summary>Stream-ordered scratch from the device's memory pool (cuMemAllocAsync).</summary>
    public ulong AllocateAsync(long bytes)
    {
        Driver.Check(Driver.cuMemAllocAsync(out var pointer, (nuint)bytes, device.Stream));
        Allocated(pointer, bytes);
        return pointer;
    }

    public void FreeAsync(ulong pointer)
    {
        Driver.Check(Driver.cuMemFreeAsync(pointer, device.Stream));
        Freed(pointer);
    }

    /// <summary>An NVTX range that also collects the counts of the calls made while it is open.</summary>
    public Scope Range(string name)
    {
        Nvtx.Push(name);
        Counters.Enter(name);
        return new Scope(this, name);
    }

    /// <summary>
    /// Records what <paramref name="work"/> queues (through this layer) into a CUDA graph instead of running it;
    /// each <see cref="Replay"/> then counts the recorded calls again, as the device runs every node again.
    /// </summary>
    public CudaGraph Capture(Action work)
    {
        Driver.Check(Driver.cuStreamBeginCapture(device.Stream, Driver.StreamCaptureModeThreadLocal));
        Counters.BeginCapture();
        try
        {
            work();
        }
        catch
        {
            // End the capture, or the stream would refuse everything after.
            Counters.EndCapture();
            if (Driver.cuStreamEndCapture(device.Stream, out var abandoned) == Driver.Success) Driver.cuGraphDestroy(abandoned);
            throw;
        }
        var recorded = Counters.EndCapture();
        Driver.Check(Driver.cuStreamEndCapture(device.Stream, out var graph));
        int instantiated = Driver.cuGraphInstantiateWithFlags(out var exec, graph, 0);
        if (instantiated != Driver.Success)
        {
            Driver.cuGraphDestroy(graph);
            Driver.Check(instantiated, "cuGraphInstantiateWithFlags");
        }
        return new CudaGraph(graph, exec, recorded);
    }

    public void Replay(CudaGraph graph)
    {
        Driver.Check(Driver.cuGraphLaunch(graph.Exec, device.Stream));
        Counters.Add(graph.Counts);
        AfterWork("cuGraphLaunch");
    }

    void Allocated(ulong pointer, long bytes)
    {
        sizes[pointer] = bytes;
        Counters.Allocated(bytes);
    }

    void Freed(ulong pointer)
    {
        if (sizes.Remove(pointer, out var bytes)) Counters.Freed(bytes);
    }

    void AfterWork(string what)
    {
        if (!synchronizeEach || Counters.Capturing) return;
        Driver.Check(Driver.cuStreamSynchronize(device.Stream), $"cuStreamSynchronize after {what} with {SyncVariable}=1");
        Counters.Sync();
    }

    public readonly struct Scope(CudaCalls calls, string name) : IDisposable
    {
        public void Dispose()
        {
            calls.Counters.Leave(name);
            Nvtx.Pop();
        }
    }
}
