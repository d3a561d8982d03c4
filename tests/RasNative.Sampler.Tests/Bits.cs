namespace RasNative.Sampler.Tests;

static class Bits
{
    /// <summary>Distance in units in the last place between two finite floats (−0 and +0 count as equal).</summary>
    public static long Ulps(float a, float b) =>
        Math.Abs(Ordered(a) - Ordered(b));

    public static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    public static void AssertBitwise(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Xunit.Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            if (!Same(expected[i], actual[i]))
                Xunit.Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    // Maps the float bit patterns onto a line where adjacent floats differ by one (−0 and +0 coincide).
    static long Ordered(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        return bits < 0 ? -(long)(bits & int.MaxValue) : bits;
    }
}
