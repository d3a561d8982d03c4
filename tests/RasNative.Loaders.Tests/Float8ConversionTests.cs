using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>fp8 decode against the formats' definitions for all 256 codes; encode as PyTorch's float32 → fp8 cast.</summary>
public class Float8ConversionTests
{
    static readonly byte[] AllCodes = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];

    static void AssertSameFloat(double expected, float actual, string what)
    {
        if (double.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"{what}: {actual}, expected NaN");
        else Assert.True(BitConverter.SingleToUInt32Bits((float)expected) == BitConverter.SingleToUInt32Bits(actual), $"{what}: {actual:R}, expected {expected:R}");
    }

    /// <summary>float8_e4m3fn by its definition, in double.</summary>
    static double E4M3Definition(int code)
    {
        int s = code >> 7, e = (code >> 3) & 15, m = code & 7;
        if (e == 15 && m == 7) return double.NaN;
        double magnitude = e == 0 ? m / 8.0 * Math.Pow(2, -6) : (1 + m / 8.0) * Math.Pow(2, e - 7);
        return s == 1 ? -magnitude : magnitude;
    }

    /// <summary>float8_e5m2 by its definition: bias 15, e = 31 is ±inf (m = 0) or NaN.</summary>
    static double E5M2Definition(int code)
    {
        int s = code >> 7, e = (code >> 2) & 31, m = code & 3;
        double magnitude = e == 31 ? (m == 0 ? double.PositiveInfinity : double.NaN)
            : e == 0 ? m / 4.0 * Math.Pow(2, -14) : (1 + m / 4.0) * Math.Pow(2, e - 15);
        return s == 1 ? -magnitude : magnitude;
    }

    [Fact]
    public void E4M3DecodesEveryCodeByTheDefinition()
    {
        foreach (var code in AllCodes) AssertSameFloat(E4M3Definition(code), Float8Conversions.E4M3ToSingle(code), $"e4m3 0x{code:x2}");
        Assert.Equal(448f, Float8Conversions.E4M3ToSingle(0x7E));
        Assert.Equal(0x80000000u, BitConverter.SingleToUInt32Bits(Float8Conversions.E4M3ToSingle(0x80)));
        Assert.True(float.IsNaN(Float8Conversions.E4M3ToSingle(0x7F)) && float.IsNaN(Float8Conversions.E4M3ToSingle(0xFF)));
        Assert.Equal(MathF.Pow(2, -9), Float8Conversions.E4M3ToSingle(0x01));
    }

    [Fact]
    public void E5M2DecodesEveryCodeByTheDefinition()
    {
        foreach (var code in AllCodes) AssertSameFloat(E5M2Definition(code), Float8Conversions.E5M2ToSingle(code), $"e5m2 0x{code:x2}");
        Assert.Equal(57344f, Float8Conversions.E5M2ToSingle(0x7B));
        Assert.Equal(float.NegativeInfinity, Float8Conversions.E5M2ToSingle(0xFC));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(37)] // a vector's worth plus a scalar tail
    [InlineData(7)]  // only the tail
    public void BulkDecodeEqualsScalarDecode(int length)
    {
        var codes = AllCodes.Concat(AllCodes.Reverse()).Take(length).ToArray();
        var e4m3 = new float[length];
        var e5m2 = new float[length];
        Float8Conversions.E4M3ToSingle(codes, e4m3);
        Float8Conversions.E5M2ToSingle(codes, e5m2);
        for (int i = 0; i < length; i++)
        {
            AssertSameFloat(Float8Conversions.E4M3ToSingle(codes[i]), e4m3[i], $"e4m3 bulk 0x{codes[i]:x2}");
            AssertSameFloat(Float8Conversions.E5M2ToSingle(codes[i]), e5m2[i], $"e5m2 bulk 0x{codes[i]:x2}");
        }
        Assert.Throws<ArgumentException>(() => Float8Conversions.E4M3ToSingle(codes, new float[length + 1]));
    }

    [Fact]
    public void EncodingRoundTripsEveryNonNaNCode()
    {
        foreach (var code in AllCodes)
        {
            if (!float.IsNaN(Float8Conversions.E4M3ToSingle(code))) Assert.Equal(code, Float8Conversions.SingleToE4M3(Float8Conversions.E4M3ToSingle(code)));
            if (!float.IsNaN(Float8Conversions.E5M2ToSingle(code))) Assert.Equal(code, Float8Conversions.SingleToE5M2(Float8Conversions.E5M2ToSingle(code)));
        }
    }

    [Fact]
    public void EncodingRoundsToTheNearestCodeTiesToEven()
    {
        // Every midpoint between adjacent non-negative finite codes, and a point just either side of it.
        foreach (var (decode, encode, top) in new (Func<byte, float>, Func<float, byte>, int)[]
                 { (Float8Conversions.E4M3ToSingle, Float8Conversions.SingleToE4M3, 0x7E), (Float8Conversions.E5M2ToSingle, Float8Conversions.SingleToE5M2, 0x7B) })
            for (int code = 0; code < top; code++)
            {
                double low = decode((byte)code), high = decode((byte)(code + 1)), middle = (low + high) / 2;
                Assert.Equal(code % 2 == 0 ? code : code + 1, encode((float)middle));
                Assert.Equal(code, encode(MathF.BitDecrement((float)middle)));
                Assert.Equal(code + 1, encode(MathF.BitIncrement((float)middle)));
                Assert.Equal(code | 0x80, encode(-MathF.BitDecrement((float)middle)));
            }
    }

    [Theory]
    [InlineData(464f, 0x7E)]                  // the tie above 448 goes to the even code 0x7E
    [InlineData(464.00003f, 0x7F)]            // above it rounds to 0x7F, which is NaN: PyTorch's cast does not saturate
    [InlineData(1e6f, 0x7F)]
    [InlineData(float.PositiveInfinity, 0x7F)]
    [InlineData(float.NegativeInfinity, 0xFF)]
    [InlineData(float.NaN, 0xFF)]            // .NET's float.NaN has the sign bit set; the sign is kept
    [InlineData(-1e-30f, 0x80)]               // negative values rounding to zero keep the sign
    [InlineData(0.0009765625f, 0x00)]         // 2^-10: tie between 0 and the smallest subnormal → even (0)
    public void E4M3EncodingEdgeCases(float value, int expected) => Assert.Equal(expected, Float8Conversions.SingleToE4M3(value));

    [Theory]
    [InlineData(61440f, 0x7C)]                // tie between 57344 and 65536 rounds to the even code, +inf
    [InlineData(61439.996f, 0x7B)]
    [InlineData(float.PositiveInfinity, 0x7C)]
    [InlineData(-1e9f, 0xFC)]
    public void E5M2EncodingEdgeCases(float value, int expected) => Assert.Equal(expected, Float8Conversions.SingleToE5M2(value));

    [Fact]
    public void WidenAppliesTheScaleAfterDecodingAndNarrowRoundTrips()
    {
        var codes = AllCodes.Where(c => (c & 0x7F) != 0x7F).ToArray();
        var scaled = new float[codes.Length];
        FloatFormats.Widen(DType.F8_E4M3, codes, 0.0173f, scaled);
        for (int i = 0; i < codes.Length; i++) AssertSameFloat(Float8Conversions.E4M3ToSingle(codes[i]) * 0.0173f, scaled[i], $"scaled 0x{codes[i]:x2}");
        foreach (var format in new[] { DType.F32, DType.F16, DType.BF16, DType.F8_E4M3, DType.F64 })
        {
            var values = new float[codes.Length];
            FloatFormats.Widen(DType.F8_E4M3, codes, 1f, values);
            var back = new float[values.Length];
            FloatFormats.Widen(format, FloatFormats.Narrow(format, values), 1f, back);
            Assert.Equal(values, back); // every e4m3 value is exact in each format
        }
        Assert.Throws<ArgumentException>(() => FloatFormats.Widen(DType.I32, new byte[4], 1f, new float[1]));
        Assert.Throws<ArgumentException>(() => FloatFormats.Widen(DType.F16, new byte[3], 1f, new float[2]));
    }
}
