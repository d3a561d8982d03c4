using System.Runtime.Intrinsics;
using RasNative.Runtime.Cpu.Kernels;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

public sealed class FastMathTests
{
    [Fact]
    public void ExpIsWithinAFewUlpAcrossTheFloatRange()
    {
        for (double x = -87; x <= 88; x += 0.01)
        {
            float value = Exp((float)x);
            double expected = Math.Exp((float)x);
            Assert.True(Math.Abs(value - expected) <= 3e-7 * expected, $"exp({(float)x:g9}) = {value:g9}, expected {expected:g9}");
        }
    }

    [Theory]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(-88.1f, 0f)]
    [InlineData(-1000f, 0f)]
    [InlineData(0f, 1f)]
    public void ExpLimits(float x, float expected) => Assert.Equal(expected, Exp(x));

    [Theory]
    [InlineData(88.8f)]
    [InlineData(float.PositiveInfinity)]
    public void ExpSaturatesAboveTheClamp(float x) => Assert.Equal(Exp(88.3762626647949f), Exp(x));

    [Fact]
    public void ExpPropagatesNaN() => Assert.True(float.IsNaN(Exp(float.NaN)));

    /// <summary>The formula's 1.5·10⁻⁷ plus its float32 evaluation (about 2·10⁻⁷: t, the polynomial and the product each round).</summary>
    [Fact]
    public void ErfIsWithinTheAbramowitzStegunBound()
    {
        for (double x = -7; x <= 7; x += 0.001)
        {
            float value = Erf((float)x);
            double expected = GemmReference.Erf((float)x);
            Assert.True(Math.Abs(value - expected) <= 4e-7, $"erf({(float)x:g9}) = {value:g9}, expected {expected:g17}");
        }
        Assert.Equal(0f, Erf(0f));
        Assert.Equal(-Erf(0.75f), Erf(-0.75f));
    }

    static float Erf(float x) => Activations.Erf<Simd256, Vector256<float>>(Vector256.Create(x)).GetElement(0);

    static float Exp(float x) => FastMath.Exp<Simd256, Vector256<float>>(Vector256.Create(x)).GetElement(0);
}
