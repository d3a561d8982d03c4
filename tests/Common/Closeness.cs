using Xunit;

namespace RasNative.Tests;

/// <summary>Elementwise |actual − expected| ≤ atol + rtol·|expected|, failing with the worst offender's index and values.</summary>
public static class Closeness
{
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, Bound bound, string what) =>
        AssertClose(expected, actual, bound.Atol, bound.Rtol, what);

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        int worst = -1, violations = 0;
        double worstExcess = 0, maxAbs = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(diff)) diff = double.PositiveInfinity;
            maxAbs = Math.Max(maxAbs, diff);
            double excess = diff - (atol + rtol * Math.Abs(expected[i]));
            if (excess > 0)
            {
                violations++;
                if (excess > worstExcess) (worstExcess, worst) = (excess, i);
            }
        }
        Assert.True(violations == 0,
            $"{what}: {violations} of {expected.Length} values outside {atol:g3} + {rtol:g3}·|ref| (max abs diff {maxAbs:g3}); " +
            (worst >= 0 ? $"worst at {worst}: got {actual[worst]:g9}, expected {expected[worst]:g9}" : ""));
    }

    /// <summary>‖actual − expected‖₂ / ‖expected‖₂.</summary>
    public static double RelativeL2(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        double num = 0, den = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = (double)actual[i] - expected[i];
            num += d * d;
            den += (double)expected[i] * expected[i];
        }
        return Math.Sqrt(num / Math.Max(den, double.Epsilon));
    }
}
