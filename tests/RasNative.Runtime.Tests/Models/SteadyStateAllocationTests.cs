using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Sd3;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>
/// After the first call planned the arena, a forward (dense or RAS) allocates no activation memory: what it
/// allocates is a bounded amount of small view/argument objects, far below one activation buffer.
/// The count is process-wide, so this test runs alone.
/// </summary>
[Collection(nameof(SteadyStateAllocationTests))]
public class SteadyStateAllocationTests
{
    static readonly Sd3TransformerConfig Config = new()
    {
        SampleSize = 32, InChannels = 4, OutChannels = 4, NumLayers = 2, AttentionHeadDim = 16, NumAttentionHeads = 4,
        JointAttentionDim = 32, CaptionProjectionDim = 64, PooledProjectionDim = 16, PosEmbedMaxSize = 32, DualAttentionLayers = [0],
        QkNorm = "rms_norm",
    };

    [Fact]
    public void SteadyStateForwardsAllocateNoActivationMemory()
    {
        using var backend = new CpuBackend();
        var model = Sd3Transformer.Load(new RandomWeights(seed: 3), Config, backend);
        var random = new System.Random(5);
        float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f)];
        var inputs = new Sd3Inputs(backend.Upload(Values(2 * 4 * 32 * 32), 2, 4, 32, 32), backend.Upload(Values(2 * 9 * 32), 2, 9, 32),
            backend.Upload(Values(2 * 16), 2, 16), [500f, 500f]);
        var output = backend.Allocate(2, 4, 32, 32);
        int[] active = [.. Enumerable.Range(0, 256).Where(i => i % 3 != 0)];
        long oneActivationBuffer = 2L * 256 * 64 * sizeof(float);

        model.Forward(inputs, output, cacheMode: KvCacheMode.Store);
        model.Forward(inputs, output, active, KvCacheMode.Update);
        long dense = Allocated(() => model.Forward(inputs, output, cacheMode: KvCacheMode.Store));
        long ras = Allocated(() => model.Forward(inputs, output, active, KvCacheMode.Update));

        Assert.True(dense < oneActivationBuffer / 4, $"a dense forward allocated {dense} bytes");
        Assert.True(ras < oneActivationBuffer / 4, $"a RAS forward allocated {ras} bytes");
    }

    static long Allocated(Action forward)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        forward();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}

[CollectionDefinition(nameof(SteadyStateAllocationTests), DisableParallelization = true)]
public sealed class SteadyStateAllocationCollection;
