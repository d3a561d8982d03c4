using RasNative.Sampler.Ras;
using Xunit;

namespace RasNative.Sampler.Tests;

public class RasSelectorTests
{
    // One channel pair per pixel makes the channel std |a − b|/√2, so patch scores are easy to set.
    static float[] IncrementWithPatchScores(PatchGrid grid, IReadOnlyList<float> patchScores)
    {
        var increment = new float[2 * grid.Pixels];
        for (var patch = 0; patch < grid.Patches; patch++)
            foreach (var pixel in grid.PixelsOf([patch]))
                increment[grid.Pixels + pixel] = patchScores[patch];
        return increment;
    }

    static RasOptions Options(double highRatio) => new(0.5, 1, 4, [], RasMetric.Std, highRatio);

    [Fact]
    public void SplitsTheSkippedPatchesBetweenBothEndsOfTheOrder()
    {
        var grid = new PatchGrid(4, 6, 2);
        var selector = new RasSelector(Options(0.5), 4, grid);
        // Ascending score order: 3, 0, 5, 1, 4, 2.
        var selection = selector.Select(IncrementWithPatchScores(grid, [2f, 4f, 6f, 1f, 5f, 3f]), 2, 2);
        Assert.Equal([3, 2], selection.Skipped);
        Assert.Equal([0, 5, 1, 4], selection.Active);
        Assert.Equal(grid.PixelsOf([3, 2]), selection.CachedPixels);
        Assert.Equal([-5f, -5f, -4f, -4f, -5f, -5f], selector.DropCounts);
    }

    [Fact]
    public void AZeroHighShareSkipsOnlyFromTheBottom()
    {
        var grid = new PatchGrid(2, 6, 2);
        var selector = new RasSelector(Options(0.0), 4, grid);
        var selection = selector.Select(IncrementWithPatchScores(grid, [3f, 1f, 2f]), 2, 2);
        Assert.Equal([1, 2], selection.Skipped);
        Assert.Equal([0], selection.Active);
    }

    [Fact]
    public void TruncatedSharesSkipOneFewerThanAsked()
    {
        var grid = new PatchGrid(16, 16, 2);
        var selector = new RasSelector(Options(0.3), 4, grid);
        var scores = Enumerable.Range(0, grid.Patches).Select(i => (float)((i * 37) % 64 + 1)).ToArray();
        // k = 5: int(5·0.7) = 3 from the bottom plus int(5·0.3) = 1 from the top.
        var selection = selector.Select(IncrementWithPatchScores(grid, scores), 2, 5);
        Assert.Equal(4, selection.Skipped.Length);
        Assert.Equal(60, selection.Active.Length);
    }

    [Fact]
    public void StarvationFactorRaisesOftenSkippedPatches()
    {
        var grid = new PatchGrid(2, 4, 2);
        var selector = new RasSelector(Options(1.0), 4, grid);
        var increment = IncrementWithPatchScores(grid, [1f, 1.05f]);
        Assert.Equal([1], selector.Select(increment, 2, 1).Skipped);
        // Patch 1 now carries exp(0.1) more weight, so it stays the top one even if patch 0 catches up a little.
        Assert.Equal([1], selector.Select(IncrementWithPatchScores(grid, [1.1f, 1.05f]), 2, 1).Skipped);
        selector.Reset();
        Assert.Equal([-5f, -5f], selector.DropCounts);
    }

    [Fact]
    public void TiesKeepPatchOrderAndNaNSortsLast()
    {
        var grid = new PatchGrid(2, 8, 2);
        var selector = new RasSelector(Options(1.0), 4, grid);
        var selection = selector.Select(IncrementWithPatchScores(grid, [float.NaN, 2f, 2f, 1f]), 2, 1);
        Assert.Equal([0], selection.Skipped);
        Assert.Equal([3, 1, 2], selection.Active);
    }

    [Fact]
    public void L2NormScoresNonSquareLatents()
    {
        var grid = new PatchGrid(2, 4, 2);
        float[] increment = [3, 3, 0, 0, 3, 3, 0, 0, 4, 4, 1, 1, 4, 4, 1, 1];
        Assert.Equal([5f, 1f], PatchScore.Compute(increment, 2, grid, RasMetric.L2Norm));
    }

    [Fact]
    public void VelocityCacheRestoresTheCapturedPixels()
    {
        var grid = new PatchGrid(2, 4, 2);
        var cache = new VelocityCache(2, grid);
        var velocity = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        cache.Capture(velocity, grid.PixelsOf([1]));
        var next = new float[16];
        cache.Fill(next);
        Assert.Equal([0, 0, 2, 3, 0, 0, 6, 7, 0, 0, 10, 11, 0, 0, 14, 15], next);
    }
}
