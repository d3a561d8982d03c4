using Xunit;

namespace RasNative.Loaders.Tests;

public class FloatConversionTests
{
    static readonly ushort[] AllBitPatterns = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();

    static void AssertSameFloat(float expected, float actual)
    {
        if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual));
        else Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual));
    }

    [Fact]
    public void BulkHalfConversionMatchesScalarForEveryBitPattern()
    {
        var bulk = new float[AllBitPatterns.Length];
        FloatConversions.HalfToSingle(AllBitPatterns, bulk);
        for (var i = 0; i < AllBitPatterns.Length; i++) AssertSameFloat(FloatConversions.HalfToSingle(AllBitPatterns[i]), bulk[i]);
        Assert.Equal(5.9604645e-8f, FloatConversions.HalfToSingle(0x0001));
        Assert.Equal(-2f, FloatConversions.HalfToSingle(0xC000));
        Assert.Equal(float.PositiveInfinity, FloatConversions.HalfToSingle(0x7C00));
    }

    [Fact]
    public void BulkBFloat16ConversionMatchesScalarForEveryBitPattern()
    {
        var bulk = new float[AllBitPatterns.Length];
        FloatConversions.BFloat16ToSingle(AllBitPatterns, bulk);
        for (var i = 0; i < AllBitPatterns.Length; i++) AssertSameFloat(FloatConversions.BFloat16ToSingle(AllBitPatterns[i]), bulk[i]);
        Assert.Equal(1f, FloatConversions.BFloat16ToSingle(0x3F80));
    }

    [Fact]
    public void BulkConversionHandlesTailsShorterThanAVector()
    {
        var source = AllBitPatterns[0x3C00..(0x3C00 + 37)];
        var half = new float[37];
        var bfloat = new float[37];
        FloatConversions.HalfToSingle(source, half);
        FloatConversions.BFloat16ToSingle(source, bfloat);
        for (var i = 0; i < 37; i++)
        {
            AssertSameFloat(FloatConversions.HalfToSingle(source[i]), half[i]);
            AssertSameFloat(FloatConversions.BFloat16ToSingle(source[i]), bfloat[i]);
        }
        Assert.Throws<ArgumentException>(() => FloatConversions.HalfToSingle(source, new float[36]));
    }

    [Fact]
    public void NarrowingRoundTripsEveryNonNaNValue()
    {
        foreach (var bits in AllBitPatterns)
        {
            var half = FloatConversions.HalfToSingle(bits);
            if (!float.IsNaN(half)) Assert.Equal(bits, FloatConversions.SingleToHalf(half));
            var bfloat = FloatConversions.BFloat16ToSingle(bits);
            if (!float.IsNaN(bfloat)) Assert.Equal(bits, FloatConversions.SingleToBFloat16(bfloat));
        }
    }

    [Theory]
    [InlineData(0x3F808000u, (ushort)0x3F80)] // 1 + 2^-8: exact tie, even neighbour is 1.0
    [InlineData(0x3F818000u, (ushort)0x3F82)] // 1 + 3*2^-8: tie, rounds up to the even mantissa
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above the tie
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float.MaxValue overflows to +inf
    [InlineData(0xBF800000u, (ushort)0xBF80)] // -1 exact
    public void SingleToBFloat16RoundsToNearestEven(uint singleBits, ushort expected) =>
        Assert.Equal(expected, FloatConversions.SingleToBFloat16(BitConverter.UInt32BitsToSingle(singleBits)));

    [Theory]
    [InlineData(0x7FC00000u)]
    [InlineData(0x7F800001u)] // payload only in the bits that are dropped: truncation alone would give inf
    [InlineData(0xFFFFFFFFu)]
    public void SingleToBFloat16KeepsNaN(uint nanBits)
    {
        var result = FloatConversions.SingleToBFloat16(BitConverter.UInt32BitsToSingle(nanBits));
        Assert.True(float.IsNaN(FloatConversions.BFloat16ToSingle(result)));
        Assert.Equal(nanBits >> 31, (uint)result >> 15);
    }

    [Theory]
    [InlineData(1.00048828125f, (ushort)0x3C00)] // 1 + 2^-11: tie, even neighbour is 1.0
    [InlineData(1.00146484375f, (ushort)0x3C02)] // 1 + 3*2^-11: tie, rounds up to even
    [InlineData(65504f, (ushort)0x7BFF)]
    [InlineData(65520f, (ushort)0x7C00)] // tie at the top rounds to +inf
    [InlineData(5.9604645e-8f, (ushort)0x0001)]
    public void SingleToHalfRoundsToNearestEven(float value, ushort expected) =>
        Assert.Equal(expected, FloatConversions.SingleToHalf(value));
}
