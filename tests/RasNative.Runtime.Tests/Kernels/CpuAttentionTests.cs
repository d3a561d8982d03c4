using RasNative.Runtime.Cpu.Kernels;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

public sealed class CpuAttentionTests
{
    static SimdKind Best => SimdKinds.Best;

    [Fact]
    public void SingleSegments() => new AttentionCase { Heads = 2, Q1 = 5, K1 = 7 }.Check(Best);

    [Fact]
    public void TwoSegmentsOfDifferentLengths() => new AttentionCase { Heads = 2, Q1 = 5, Q2 = 3, K1 = 9, K2 = 3 }.Check(Best);

    [Fact]
    public void GroupedQueryHeadsShareKvHeads() => new AttentionCase { Heads = 4, KvHeads = 2, Q1 = 5, Q2 = 3, K1 = 9, K2 = 3 }.Check(Best);

    [Fact]
    public void MaskedKeysAreExcludedAndFullyMaskedQueriesGetZeros() =>
        new AttentionCase
        {
            Batch = 2, Heads = 2, Q1 = 6, Q2 = 2, K1 = 10, K2 = 5,
            // Batch 0 drops every third key; batch 1 drops all of them.
            Attends = (b, j) => b == 0 && j % 3 != 1,
        }.Check(Best);

    [Fact]
    public void FullyMaskedKeyTilesAreSkippedCorrectly() =>
        new AttentionCase { Heads = 2, HeadDim = 16, Q1 = 20, K1 = 150, K2 = 10, Attends = (_, j) => j >= 64 && (j < 128 || j % 2 == 0) }.Check(Best);

    [Fact]
    public void StridedRowsAndBatches() =>
        new AttentionCase { Batch = 2, Heads = 3, Q1 = 4, Q2 = 2, K1 = 5, K2 = 2, RowPadding = 5, BatchPadding = 11 }.Check(Best);

    [Fact]
    public void OneQueryOneKey() => new AttentionCase { Q1 = 1, K1 = 1 }.Check(Best);

    [Fact]
    public void NoKeysGivesZeros() => new AttentionCase { Q1 = 3, Q2 = 1 }.Check(Best);

    [Theory]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(72)]
    [InlineData(128)]
    public void TilesCrossedByOddLengths(int headDim) =>
        new AttentionCase
        {
            Batch = 2, Heads = 2, KvHeads = 1, HeadDim = headDim, Q1 = 60, Q2 = 7, K1 = 100, K2 = 30, RowPadding = 3,
            Attends = (b, j) => (b + j) % 7 != 0,
        }.Check(Best);

    [Fact]
    public void EveryVectorWidthMatchesReference()
    {
        var problem = new AttentionCase
        {
            Batch = 2, Heads = 4, KvHeads = 2, HeadDim = 24, Q1 = 70, Q2 = 5, K1 = 66, K2 = 9, RowPadding = 2, BatchPadding = 5,
            Attends = (b, j) => j % 5 != b,
        };
        foreach (var kind in Enum.GetValues<SimdKind>())
            problem.Check(kind);
    }

    /// <summary>PyTorch: the softmax of a row with a NaN score is NaN throughout (keys from NaN weights, say).</summary>
    [Fact]
    public void NanKeyMakesEveryRowOfItsHeadsNaN()
    {
        // Key 10 (the second segment's second row) is NaN in kv head 0, which query heads 0 and 1 read.
        var output = new AttentionCase { Heads = 4, KvHeads = 2, Q1 = 5, Q2 = 3, K1 = 9, K2 = 3, Poison = [('k', 0, 10, 3, float.NaN)] }.Check(Best);
        for (int i = 0; i < output.Length; i++)
            Assert.True(float.IsNaN(output[i]) == (i % 32 < 16), $"output {i} = {output[i]}");
    }

    [Fact]
    public void NanValueMakesItsChannelNaNForEveryQuery()
    {
        var output = new AttentionCase { Heads = 2, KvHeads = 2, Q1 = 5, Q2 = 3, K1 = 9, K2 = 3, Poison = [('v', 0, 2, 11, float.NaN)] }.Check(Best);
        for (int i = 0; i < output.Length; i++)
            Assert.True(float.IsNaN(output[i]) == (i % 16 == 11), $"output {i} = {output[i]}");
    }

    [Fact]
    public void InfiniteKeysAndValuesFollowPyTorch() =>
        new AttentionCase
        {
            Batch = 2, Heads = 2, KvHeads = 2, Q1 = 6, Q2 = 2, K1 = 10, K2 = 5,
            Poison = [('k', 0, 4, 2, float.PositiveInfinity), ('k', 1, 12, 9, float.NegativeInfinity), ('v', 1, 3, 5, float.PositiveInfinity)],
        }.Check(Best);

    /// <summary>PyTorch adds the mask as −∞, so a NaN behind it still reaches the row; a masked tile is skipped only when finite.</summary>
    [Fact]
    public void NonFiniteKeysAndValuesInAFullyMaskedTileStillPropagate()
    {
        Func<int, int, bool> attends = (_, j) => j < 64 || j >= 128;
        new AttentionCase { Heads = 2, KvHeads = 2, HeadDim = 16, Q1 = 20, K1 = 150, Attends = attends, Poison = [('k', 0, 70, 1, float.NaN)] }.Check(Best);
        new AttentionCase { Heads = 2, KvHeads = 2, HeadDim = 16, Q1 = 20, K1 = 150, Attends = attends, Poison = [('v', 0, 100, 20, float.NaN)] }.Check(Best);
        new AttentionCase { Heads = 2, KvHeads = 2, HeadDim = 16, Q1 = 20, K1 = 150, Attends = (_, _) => false, Poison = [('v', 0, 100, 20, float.PositiveInfinity)] }.Check(Best);
    }

    [Fact]
    public void RepeatedRunsAreBitwiseEqual()
    {
        var problem = new AttentionCase { Batch = 2, Heads = 6, HeadDim = 64, Q1 = 200, Q2 = 20, K1 = 200, K2 = 20 };
        Assert.Equal(problem.Check(Best, seed: 5), problem.Check(Best, seed: 5));
    }

    [Fact]
    public void CausalMaskHidesLaterKeys() => new AttentionCase { Batch = 2, Heads = 3, HeadDim = 16, Q1 = 77, K1 = 77, Causal = true }.Check(Best);

    [Fact]
    public void CausalMaskOverSegmentsAndPaddingMask() =>
        new AttentionCase
        {
            Heads = 2, Q1 = 70, Q2 = 9, K1 = 70, K2 = 9, Causal = true,
            Attends = (_, j) => j < 50 || j % 4 == 0,
        }.Check(Best);

    [Fact]
    public void CausalSkipsWholeKeyTilesBeyondTheQueries() =>
        new AttentionCase { Heads = 2, HeadDim = 8, Q1 = 10, K1 = 200, Causal = true }.Check(Best);

    [Fact]
    public void RelativePositionBiasIsAddedPerHead() =>
        new AttentionCase { Batch = 2, Heads = 4, HeadDim = 8, Q1 = 70, K1 = 70, BiasBuckets = 32 }.Check(Best);

    [Fact]
    public void RelativePositionBiasWithMaskSegmentsAndGqa() =>
        new AttentionCase
        {
            Batch = 2, Heads = 4, KvHeads = 2, HeadDim = 12, Q1 = 40, Q2 = 30, K1 = 50, K2 = 31, BiasBuckets = 5, RowPadding = 2,
            Attends = (b, j) => (b + j) % 6 != 1,
        }.Check(Best);

    [Fact]
    public void BiasAndCausalOnEveryVectorWidth()
    {
        var problem = new AttentionCase { Batch = 2, Heads = 2, HeadDim = 24, Q1 = 67, K1 = 67, BiasBuckets = 7, Causal = true };
        foreach (var kind in Enum.GetValues<SimdKind>())
            problem.Check(kind);
    }
}
