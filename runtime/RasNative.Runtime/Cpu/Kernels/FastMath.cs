using System.Runtime.CompilerServices;

namespace RasNative.Runtime.Cpu.Kernels;

internal static class FastMath
{
    const float Log2E = 1.44269504088896341f;
    const float Ln2High = 0.693359375f;
    const float Ln2Low = -2.12194440e-4f;

    // Adding 1.5·2²³ rounds a float of magnitude below 2²² to an integer held in the low mantissa bits; the
    // extra 127 is the exponent bias, so those bits read as n + 127.
    const float RoundingBias = 12582912f + 127f;

    /// <summary>
    /// eˣ to about 2 ulp in float lanes, inlined into the kernels (the BCL's vector Exp is a call that runs
    /// unoptimised until tiering catches up): x = n·ln2 + r with |r| ≤ ln2/2, eʳ from Cephes' expf polynomial,
    /// 2ⁿ made by shifting n + 127 into the exponent field. Inputs below −127·ln2, −∞ included, give exactly 0
    /// (a zero exponent field), which masked softmax logits rely on; inputs above 88.37 saturate at ≈ 2.4·10³⁸.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TS, TV>(TV x)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        // x second, so the native min/max hand a NaN through.
        x = TS.Max(TS.Create(-127f * 0.693147180559945f), TS.Min(TS.Create(88.3762626647949f), x));
        TV biased = TS.MultiplyAdd(x, TS.Create(Log2E), TS.Create(RoundingBias));
        TV n = TS.Subtract(biased, TS.Create(RoundingBias));
        TV r = TS.MultiplyAdd(n, TS.Create(-Ln2High), x);
        r = TS.MultiplyAdd(n, TS.Create(-Ln2Low), r);
        TV p = TS.Create(1.9875691500e-4f);
        p = TS.MultiplyAdd(p, r, TS.Create(1.3981999507e-3f));
        p = TS.MultiplyAdd(p, r, TS.Create(8.3334519073e-3f));
        p = TS.MultiplyAdd(p, r, TS.Create(4.1665795894e-2f));
        p = TS.MultiplyAdd(p, r, TS.Create(1.6666665459e-1f));
        p = TS.MultiplyAdd(p, r, TS.Create(5.0000001201e-1f));
        p = TS.MultiplyAdd(p, TS.Multiply(r, r), TS.Add(r, TS.Create(1f)));
        return TS.Multiply(p, TS.ShiftIntoExponent(biased));
    }
}
