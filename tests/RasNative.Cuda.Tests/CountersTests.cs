using RasNative.Runtime.Backends;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>The counted call layer: what each backend operation costs in launches, cuBLAS calls, copies, syncs and allocations.</summary>
public class CountersTests
{
    [Fact]
    public void AttentionIsOneFlashLaunchWithoutScratch()
    {
        var (counts, tensors) = CountAttention(headDim: 24);
        Assert.Equal(new CudaCounts(Launches: 1, BlasCalls: 0, Copies: 0, Syncs: 0, Allocations: 0, PeakDeviceBytes: tensors), counts.Totals);
        Assert.Equal(1, counts.KernelLaunches["flash_attention_d32"]);
    }

    [Fact]
    public void WideHeadAttentionCountsItsGemmsSoftmaxAndScratch()
    {
        var (counts, tensors) = CountAttention(headDim: 96);
        // Per batch row: scores GEMM, softmax, output GEMM; scratch for float32 scores and the probabilities.
        long scratch = 2L * Heads * Queries * Keys * sizeof(float);
        Assert.Equal(new CudaCounts(Launches: 2, BlasCalls: 4, Copies: 0, Syncs: 0, Allocations: 2, PeakDeviceBytes: tensors + scratch), counts.Totals);
        Assert.Equal(2, counts.KernelLaunches["softmax_rows"]);
    }

    const int Batch = 2, Queries = 13, Keys = 17, Heads = 3;

    /// <summary>One float32 attention call's counts, and the bytes of its tensors (allocated before counting).</summary>
    static (CudaCounterSnapshot Counts, long TensorBytes) CountAttention(int headDim)
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var q = backend.Upload(new float[Batch * Queries * Heads * headDim], Batch, Queries, Heads * headDim);
        var k = backend.Upload(new float[Batch * Keys * Heads * headDim], Batch, Keys, Heads * headDim);
        var o = backend.Allocate(Batch, Queries, Heads * headDim);
        backend.Calls.Counters.Reset();
        backend.Attention(new AttentionArgs { Query1 = q, Key1 = k, Value1 = k, Output1 = o, Heads = Heads, HeadDim = headDim, Scale = 0.2f });
        return (backend.Calls.Counters.Snapshot(), sizeof(float) * (2L * Batch * Queries + Batch * Keys) * Heads * headDim);
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
        Assert.Equal((3L, 1L, 2L), (counts.Totals.Launches, counts.Totals.Copies, counts.Totals.Syncs));
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

    static float Silu(float v) => v / (1f + MathF.Exp(-v));
}
