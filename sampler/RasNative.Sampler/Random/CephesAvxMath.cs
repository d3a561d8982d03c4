namespace RasNative.Sampler.Random;

/// <summary>
/// Scalar, bit-exact emulation of one lane of <c>log256_ps</c> and <c>sincos256_ps</c> from the avx_mathfun.h that
/// PyTorch's AVX2 normal fill uses (Cephes single-precision polynomials).
/// PyTorch's AVX2 kernels are built by GCC with <c>-mfma</c> and its default <c>-ffp-contract=fast</c>, and GCC's
/// intrinsics are plain vector arithmetic, so each multiply whose only use is an add or subtract is fused into
/// that add (the first such multiply in statement order wins). The <see cref="MathF.FusedMultiplyAdd"/> calls
/// below sit exactly where that contraction happens (checked: without them about 1 % of values are 1–2 ulp off).
/// </summary>
internal static class CephesAvxMath
{
    const float SqrtHalf = (float)0.707106781186547524;
    const float LogP0 = (float)7.0376836292E-2;
    const float LogP1 = (float)-1.1514610310E-1;
    const float LogP2 = (float)1.1676998740E-1;
    const float LogP3 = (float)-1.2420140846E-1;
    const float LogP4 = (float)1.4249322787E-1;
    const float LogP5 = (float)-1.6668057665E-1;
    const float LogP6 = (float)2.0000714765E-1;
    const float LogP7 = (float)-2.4999993993E-1;
    const float LogP8 = (float)3.3333331174E-1;
    const float LogQ1 = (float)-2.12194440e-4;
    const float LogQ2 = (float)0.693359375;

    const float MinusDp1 = (float)-0.78515625;
    const float MinusDp2 = (float)-2.4187564849853515625e-4;
    const float MinusDp3 = (float)-3.77489497744594108e-8;
    const float SinP0 = (float)-1.9515295891E-4;
    const float SinP1 = (float)8.3321608736E-3;
    const float SinP2 = (float)-1.6666654611E-1;
    const float CosP0 = (float)2.443315711809948E-005;
    const float CosP1 = (float)-1.388731625493765E-003;
    const float CosP2 = (float)4.166664568298827E-002;
    const float FourOverPi = (float)1.27323954473516;

    static float MulAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    /// <summary>Natural log of a positive normal float (the only inputs the normal fill gives it: (0, 1]).</summary>
    public static float Log(float x)
    {
        var bits = BitConverter.SingleToInt32Bits(x);
        var e = (float)((bits >>> 23) - 0x7f) + 1f;
        x = BitConverter.Int32BitsToSingle((bits & ~0x7f800000) | BitConverter.SingleToInt32Bits(0.5f));

        // Maps the mantissa into [sqrt(1/2) - 1, sqrt(2) - 1) around zero for the polynomial.
        var addBack = 0f;
        if (x < SqrtHalf)
        {
            e -= 1f;
            addBack = x;
        }
        x = x - 1f + addBack;

        var z = x * x;
        var y = LogP0;
        y = MulAdd(y, x, LogP1);
        y = MulAdd(y, x, LogP2);
        y = MulAdd(y, x, LogP3);
        y = MulAdd(y, x, LogP4);
        y = MulAdd(y, x, LogP5);
        y = MulAdd(y, x, LogP6);
        y = MulAdd(y, x, LogP7);
        y = MulAdd(y, x, LogP8);
        y *= x;
        y = MulAdd(y, z, e * LogQ1);
        y = MulAdd(-z, 0.5f, y);
        return MulAdd(e, LogQ2, x + y);
    }

    /// <summary>Sine and cosine of <paramref name="x"/> (accurate for |x| &lt; 8192).</summary>
    public static (float Sin, float Cos) SinCos(float x)
    {
        var sinNegative = x < 0f || (x == 0f && float.IsNegative(x));
        x = MathF.Abs(x);

        var j = (int)(x * FourOverPi);
        j = (j + 1) & ~1;
        var y = (float)j;
        sinNegative ^= (j & 4) != 0;
        var cosNegative = ((j - 2) & 4) == 0;
        var sinPolynomialFirst = (j & 2) == 0;

        // Cephes' extended-precision reduction x - y·π/4 in three parts.
        x = MulAdd(y, MinusDp1, x);
        x = MulAdd(y, MinusDp2, x);
        x = MulAdd(y, MinusDp3, x);

        var z = x * x;
        var cosPoly = CosP0;
        cosPoly = MulAdd(cosPoly, z, CosP1);
        cosPoly = MulAdd(cosPoly, z, CosP2);
        cosPoly *= z;
        cosPoly = MulAdd(cosPoly, z, -(z * 0.5f));
        cosPoly += 1f;

        var sinPoly = SinP0;
        sinPoly = MulAdd(sinPoly, z, SinP1);
        sinPoly = MulAdd(sinPoly, z, SinP2);
        sinPoly *= z;
        sinPoly = MulAdd(sinPoly, x, x);

        // The AVX code selects with masks and adds the masked-out zero back; keep that arithmetic so signed zeros match.
        var sinFromSin = sinPolynomialFirst ? sinPoly : 0f;
        var sinFromCos = sinPolynomialFirst ? 0f : cosPoly;
        var sin = sinFromCos + sinFromSin;
        var cos = (cosPoly - sinFromCos) + (sinPoly - sinFromSin);
        return (sinNegative ? -sin : sin, cosNegative ? -cos : cos);
    }
}
