using Xunit;

namespace RasNative.Cuda.Tests;

public class HostConversionsTests
{
    [Theory]
    [InlineData(1.0f, 0x3f80)]
    [InlineData(-2.0f, 0xc000)]
    [InlineData(1.00390625f, 0x3f80)] // exactly half an ulp above 1: ties to even (down)
    [InlineData(1.01171875f, 0x3f82)] // half an ulp above 0x3f81: ties to even (up)
    [InlineData(float.PositiveInfinity, 0x7f80)]
    public void BFloat16RoundsToNearestEven(float value, int bits) => Assert.Equal((ushort)bits, HostConversions.SingleToBFloat16(value));

    [Fact]
    public void BFloat16KeepsNaN() => Assert.True(float.IsNaN(RoundTrip(float.NaN, CudaDType.BF16)));

    [Theory]
    [InlineData(CudaDType.F32)]
    [InlineData(CudaDType.F16)]
    [InlineData(CudaDType.BF16)]
    public void RoundTripIsWithinTheFormatsPrecision(CudaDType dtype)
    {
        float[] values = [0f, 1f, -3.5f, 0.1f, 1234.5f];
        float tolerance = dtype switch { CudaDType.F32 => 0f, CudaDType.F16 => 1f / 1024, _ => 1f / 128 };
        foreach (var v in values) Assert.True(Math.Abs(RoundTrip(v, dtype) - v) <= tolerance * Math.Abs(v), $"{v} in {dtype}");
    }

    static float RoundTrip(float value, CudaDType dtype)
    {
        var result = new float[1];
        HostConversions.FromDevice(HostConversions.ToDevice([value], dtype), dtype, result);
        return result[0];
    }
}
