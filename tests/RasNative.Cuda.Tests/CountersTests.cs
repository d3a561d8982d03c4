using RasNative.Loaders;
using RasNative.Runtime.Backends;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>The counted call layer: what each backend operation costs in launches, cuBLAS calls, copies, syncs and allocations.</summary>
public class CountersTests
{
    [Fact]
    public void AttentionIsOneFlashLaunchWithoutScratch()
    {
        var (first, second, tensors) = CountAttention(headDim: 24);
        Assert.Equal(new CudaCounts(Launches: 1, BlasCalls: 0, Copies: 0, Syncs: 0, Allocations: 0, PeakDeviceBytes: tensors), first.Totals);
        Assert.Equal(1, first.KernelLaunches["flash_attention_d32"]);
        Assert.Equal(first.Totals, second.Totals);
    }

    [Fact]
    public void WideHeadAttentionCountsItsGemmsSoftmaxAndScratch()
    {
        var (first, second, tensors) = CountAttention(headDim: 96);
        // Per batch row: scores GEMM, softmax, output GEMM; scratch for float32 scores and the probabilities, taken
        // from the scratch arena: the first region makes a buffer of its size, the second one twice that (the first
        // is freed once both are given back).
        long region = (Heads * Queries * Keys * sizeof(float) + 255) / 256 * 256;
        Assert.Equal(new CudaCounts(Launches: 2, BlasCalls: 4, Copies: 0, Syncs: 0, Allocations: 2, PeakDeviceBytes: tensors + 3 * region), first.Totals);
        Assert.Equal(2, first.KernelLaunches["softmax_rows"]);
        Assert.Equal(0, second.Totals.Allocations); // the arena holds enough now
    }

    const int Batch = 2, Queries = 13, Keys = 17, Heads = 3;

    /// <summary>
    /// Two float32 attention calls' counts (the second on the scratch the first left), and the bytes of their tensors
    /// (allocated before counting).
    /// </summary>
    static (CudaCounterSnapshot First, CudaCounterSnapshot Second, long TensorBytes) CountAttention(int headDim)
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var q = backend.Upload(new float[Batch * Queries * Heads * headDim], Batch, Queries, Heads * headDim);
        var k = backend.Upload(new float[Batch * Keys * Heads * headDim], Batch, Keys, Heads * headDim);
        var o = backend.Allocate(Batch, Queries, Heads * headDim);
        var args = new AttentionArgs { Query1 = q, Key1 = k, Value1 = k, Output1 = o, Heads = Heads, HeadDim = headDim, Scale = 0.2f };
        backend.Calls.Counters.Reset();
        backend.Attention(args);
        var first = backend.Calls.Counters.Snapshot();
        backend.Calls.Counters.Reset();
        backend.Attention(args);
        return (first, backend.Calls.Counters.Snapshot(), sizeof(float) * (2L * Batch * Queries + Batch * Keys) * Heads * headDim);
    }

    [Fact]
    public void DownloadIsACopyThatBlocksAndRangesCollectWhatRanInside()
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var x = backend.Upload([1f, 2f, 3f], 3);
        var y = backend.Allocate(3);
        backend.Calls.Counters.Reset();
        using (backend.Range("transformer_blocks.0"))
        {
            backend.Silu(x, y);
            backend.Add(x, y, y);
        }
        using (backend.Range("transformer_blocks.1")) backend.Silu(x, y);
        var host = new float[3];
        backend.Download(y, host);
        var counts = backend.Calls.Counters.Snapshot();
        Assert.Equal((3L, 1L, 1L), (counts.Totals.Launches, counts.Totals.Copies, counts.Totals.Syncs)); // the copy into pageable memory waits
        Assert.Equal(["transformer_blocks.0", "transformer_blocks.1"], counts.Blocks.Select(b => b.Key));
        Assert.Equal(2, counts.Ranges["transformer_blocks.0"].Launches);
        Assert.Equal(1, counts.Ranges["transformer_blocks.1"].Launches);
        Assert.Equal(0, counts.Ranges["transformer_blocks.1"].Copies);
    }

    [Fact]
    public void GraphReplayRunsTheRecordedKernelsAndCountsEachNode()
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var a = backend.Upload([1f, 2f], 2);
        var b = backend.Upload([10f, 20f], 2);
        var y = backend.Allocate(2);
        backend.Calls.Counters.Reset();
        using var graph = backend.Calls.Capture(() =>
        {
            backend.Add(a, b, y);
            backend.Silu(y, y);
        });
        Assert.Equal(2, graph.Counts.Launches);
        Assert.Equal(0, backend.Calls.Counters.Snapshot().Totals.Launches); // captured, not run
        backend.Calls.Replay(graph);
        backend.Write([3f, 4f], a);           // the graph reads device memory when it runs
        backend.Calls.Replay(graph);
        var host = new float[2];
        backend.Download(y, host);
        Assert.Equal(Silu(13f), host[0], 1e-5f);
        Assert.Equal(Silu(24f), host[1], 1e-5f);
        Assert.Equal(4, backend.Calls.Counters.Snapshot().Totals.Launches);
    }

    /// <summary>A Linear is one cuBLASLt call with its bias in the epilogue; its algorithm is chosen once per shape and alignment.</summary>
    [Fact]
    public void LinearIsOneMatmulPlannedOncePerShape()
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.BF16);
        var weight = backend.UploadLinear(StoredTensor.F32(new float[24 * 16], 24, 16), new float[24], 24, 16);
        var x = backend.Allocate(7, 16);
        var y = backend.Allocate(7, 24);
        backend.Calls.Counters.Reset();
        for (int i = 0; i < 3; i++) backend.Linear(x, weight, y);
        var counts = backend.Calls.Counters.Snapshot().Totals;
        Assert.Equal((0L, 3L, 1), (counts.Launches, counts.BlasCalls, backend.MatmulShapes));
        backend.Linear(x.View(5, 16), weight, y.View(5, 24));                      // fewer rows: a shape of its own
        backend.Linear(x.View(5, 16), weight, y.Slice(1, 5, 24), Activation.GeluTanh); // GELU epilogue, 2-byte aligned output
        Assert.Equal(3, backend.MatmulShapes);
        Assert.Equal(0, backend.Calls.Counters.Snapshot().Totals.Launches);
    }

    static float Silu(float v) => v / (1f + MathF.Exp(-v));
}
