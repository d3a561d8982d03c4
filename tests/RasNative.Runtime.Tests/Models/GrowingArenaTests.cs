using RasNative.Runtime.Models;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>The arena rule every model's forward starts with: reuse while the shape fits, else plan for the union of both.</summary>
public class GrowingArenaTests
{
    [Fact]
    public void ReusesWhileTheShapeFitsAndGrowsToTheUnion()
    {
        var planned = new List<(int, int)>();
        var arena = GrowingArena.OfTwoExtents((a, b) =>
        {
            planned.Add((a, b));
            return new object();
        });
        Assert.Null(arena.Current);

        var first = arena.For((2, 77));
        Assert.Same(first, arena.For((1, 16)));          // fits: the same arena
        var grown = arena.For((1, 160));                   // more tokens, fewer rows: the union of both
        Assert.NotSame(first, grown);
        Assert.Same(grown, arena.For((2, 100)));
        Assert.Same(grown, arena.Current);
        Assert.Equal([(2, 77), (2, 160)], planned);
    }
}
