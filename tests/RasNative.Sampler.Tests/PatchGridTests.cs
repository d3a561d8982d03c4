using RasNative.Sampler.Ras;
using Xunit;

namespace RasNative.Sampler.Tests;

public class PatchGridTests
{
    [Fact]
    public void SquareP2UsesTheOfficialWithinPatchOrder()
    {
        var grid = new PatchGrid(24, 24, 2);
        // The official map: base = j // 12 · 2 · 24 + j % 12 · 2, then [base, base + 25, base + 1, base + 24].
        for (var j = 0; j < grid.Patches; j++)
        {
            var origin = j / 12 * 2 * 24 + j % 12 * 2;
            Assert.Equal([origin, origin + 25, origin + 1, origin + 24], grid.PixelsOf([j]));
        }
    }

    [Fact]
    public void NonSquareGridsUseTheWidthAsRowStride()
    {
        var grid = new PatchGrid(4, 6, 2);
        Assert.Equal((2, 3, 6), (grid.Rows, grid.Columns, grid.Patches));
        // Patch 4 is row 1, column 1: pixels (2,2), (3,3), (2,3), (3,2).
        Assert.Equal([14, 21, 15, 20], grid.PixelsOf([4]));
        var all = grid.PixelsOf([.. Enumerable.Range(0, grid.Patches)]);
        Assert.Equal(Enumerable.Range(0, grid.Pixels), all.Order());
    }

    [Fact]
    public void OtherPatchSizesAreRowMajorWithinThePatch()
    {
        var grid = new PatchGrid(6, 3, 3);
        Assert.Equal([9, 10, 11, 12, 13, 14, 15, 16, 17], grid.PixelsOf([1]));
    }

    [Fact]
    public void LatentsThatDoNotSplitIntoPatchesAreRejected() =>
        Assert.Throws<ArgumentException>(() => new PatchGrid(5, 4, 2));
}
