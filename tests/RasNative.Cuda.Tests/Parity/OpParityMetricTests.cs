using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>
/// The parity measure itself: an error in one element, or in a small output beside a large one, fails the F32 bound,
/// where a relative L2 over everything the case wrote (the earlier measure) would average it away.
/// </summary>
public class OpParityMetricTests
{
    static float[] Values(int length, float scale) => [.. Enumerable.Range(0, length).Select(i => scale * MathF.Sin(i + 1))];

    [Fact]
    public void OneWrongElementAmongManyFails()
    {
        var expected = Values(10_000, 1f);
        var actual = (float[])expected.Clone();
        actual[1234] += 3e-4f;
        double tolerance = OpParity.Tolerance(CudaDType.F32);
        Assert.True(Closeness.RelativeL2(expected, actual) < tolerance, "the relative L2 would have passed it");
        Assert.True(OpParity.Error([new("y", expected)], [new("y", actual)]) > tolerance);
    }

    [Fact]
    public void ASmallOutputIsNotAveragedIntoALargeOne()
    {
        var (large, small) = (Values(5_000, 10f), Values(20, 1e-3f));
        var wrong = small.Select(v => v * 1.1f).ToArray();
        double tolerance = OpParity.Tolerance(CudaDType.F32);
        Assert.True(Closeness.RelativeL2([.. large, .. small], [.. large, .. wrong]) < tolerance, "the relative L2 would have passed it");
        var (error, output) = OpParity.Worst([new("large", large), new("small", small)], [new("large", large), new("small", wrong)]);
        Assert.True(error > tolerance);
        Assert.Equal("small", output);
    }

    [Fact]
    public void NaNAndMissingOutputsNeverPass()
    {
        var expected = Values(8, 1f);
        var nan = (float[])expected.Clone();
        nan[3] = float.NaN;
        Assert.Equal(double.PositiveInfinity, OpParity.Error([new("y", expected)], [new("y", nan)]));
        Assert.Equal(double.PositiveInfinity, OpParity.Error([new("y", expected), new("z", expected)], [new("y", expected)]));
    }
}
