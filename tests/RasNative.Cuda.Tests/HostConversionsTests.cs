using System.Runtime.InteropServices;
using RasNative.Loaders;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>The dtype dispatch and byte packing around FloatConversions (whose rounding the loader tests cover).</summary>
public class HostConversionsTests
{
    static readonly float[] Values = [0f, 1f, -3.5f, 0.1f, 1234.5f, 1.00390625f, -65504f];

    [Fact]
    public void SixteenBitStorageHoldsFloatConversionsBits()
    {
        Assert.Equal(Values.Select(FloatConversions.SingleToHalf), MemoryMarshal.Cast<byte, ushort>(HostConversions.ToDevice(Values, CudaDType.F16)).ToArray());
        Assert.Equal(Values.Select(FloatConversions.SingleToBFloat16), MemoryMarshal.Cast<byte, ushort>(HostConversions.ToDevice(Values, CudaDType.BF16)).ToArray());
    }

    [Fact]
    public void BFloat16KeepsNaN() => Assert.True(float.IsNaN(RoundTrip(float.NaN, CudaDType.BF16)));

    [Theory]
    [InlineData(CudaDType.F32)]
    [InlineData(CudaDType.F16)]
    [InlineData(CudaDType.BF16)]
    public void RoundTripIsWithinTheFormatsPrecision(CudaDType dtype)
    {
        float tolerance = dtype switch { CudaDType.F32 => 0f, CudaDType.F16 => 1f / 1024, _ => 1f / 128 };
        foreach (var v in Values) Assert.True(Math.Abs(RoundTrip(v, dtype) - v) <= tolerance * Math.Abs(v), $"{v} in {dtype}");
    }

    static float RoundTrip(float value, CudaDType dtype)
    {
        var result = new float[1];
        HostConversions.FromDevice(HostConversions.ToDevice([value], dtype), dtype, result);
        return result[0];
    }
}
