using System.Runtime.InteropServices;
using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>The bit-level NaN/∞ scan against decoding every code, at every position of a vector and its tail.</summary>
public class NonFiniteValuesTests
{
    [Theory]
    [InlineData(DType.F16)]
    [InlineData(DType.BF16)]
    [InlineData(DType.F8_E4M3)]
    [InlineData(DType.F8_E5M2)]
    public void EveryCodeIsClassifiedAsItsDecodedValue(DType format)
    {
        int size = format.ElementSize(), codes = 1 << (8 * size);
        var raw = new byte[size];
        var value = new float[1];
        for (int code = 0; code < codes; code++)
        {
            for (int b = 0; b < size; b++) raw[b] = (byte)(code >> (8 * b));
            FloatFormats.Widen(format, raw, 1f, value);
            Assert.True((NonFiniteValues.IndexOf(format, raw) == 0) == !float.IsFinite(value[0]), $"{format} code 0x{code:X}: {value[0]}");
        }
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    [InlineData(DType.F16)]
    [InlineData(DType.BF16)]
    [InlineData(DType.F8_E4M3)]
    [InlineData(DType.F8_E5M2)]
    public void FindsTheFirstNonFiniteElementAnywhere(DType format)
    {
        var finite = Enumerable.Range(0, 300).Select(i => MathF.Sin(i) * 100).ToArray();
        Assert.Equal(-1, NonFiniteValues.IndexOf(format, Encode(format, finite)));
        float bad = format == DType.F8_E4M3 ? float.NaN : float.PositiveInfinity;
        foreach (int at in new[] { 0, 1, 31, 32, 33, 63, 200, 299 })
        {
            var values = (float[])finite.Clone();
            values[at] = bad;
            values[Math.Min(at + 5, 299)] = float.NaN;
            Assert.Equal(at, NonFiniteValues.IndexOf(format, Encode(format, values)));
        }
    }

    [Fact]
    public void Fp8ScaleOverflowingAFiniteCodeIsNonFinite()
    {
        var codes = FloatFormats.Narrow(DType.F8_E5M2, [1f, -2f, 57344f, 0.5f]);
        Assert.Equal(-1, NonFiniteValues.IndexOf(DType.F8_E5M2, codes, 1e30f));
        Assert.Equal(2, NonFiniteValues.IndexOf(DType.F8_E5M2, codes, 1e35f));   // 57344·1e35 > float.MaxValue
        Assert.Equal(1, NonFiniteValues.IndexOf(DType.F8_E5M2, codes, 3e38f));
        Assert.Throws<ArgumentException>(() => NonFiniteValues.IndexOf(DType.BF16, new byte[2], 2f));
    }

    [Fact]
    public void Float32OverloadFindsNaN() =>
        Assert.Equal(3, NonFiniteValues.IndexOf([1f, 2f, 3f, float.NaN, float.NegativeInfinity]));

    static byte[] Encode(DType format, float[] values) => format == DType.F64
        ? MemoryMarshal.AsBytes(values.Select(v => (double)v).ToArray().AsSpan()).ToArray()
        : FloatFormats.Narrow(format, values);
}
