using RasNative.Loaders;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>cudaDataType_t values the BLAS tests use.</summary>
public enum DataType
{
    R32F = 0,
    R64F = 1,
    R16F = 2,
    R16BF = 14,
    E4M3 = 28,
    E5M2 = 29,
}

/// <summary>
/// Host-side encoding and decoding of every storage type, independent of the emulator's C++ (fp16/bf16 through
/// FloatConversions, fp8 from the OCP format definition), for the tests' inputs and their double reference.
/// </summary>
public static class BlasFormats
{
    static readonly double[] E4M3Values = Enumerable.Range(0, 256).Select(v => DecodeFp8(v, exponentBits: 4)).ToArray();
    static readonly double[] E5M2Values = Enumerable.Range(0, 256).Select(v => DecodeFp8(v, exponentBits: 5)).ToArray();

    public static int Size(DataType type) => type switch
    {
        DataType.R64F => 8,
        DataType.R32F => 4,
        DataType.R16F or DataType.R16BF => 2,
        _ => 1,
    };

    public static bool IsFp8(DataType type) => type is DataType.E4M3 or DataType.E5M2;

    /// <summary>Half an ulp relative to the value: the bound of one round-to-nearest into the type.</summary>
    public static double HalfUlp(DataType type) => type switch
    {
        DataType.R64F => Math.ScaleB(1, -53),
        DataType.R32F => Math.ScaleB(1, -24),
        DataType.R16F => Math.ScaleB(1, -11),
        DataType.R16BF => Math.ScaleB(1, -8),
        DataType.E4M3 => Math.ScaleB(1, -4),
        _ => Math.ScaleB(1, -3),
    };

    /// <summary>The smallest positive subnormal: the absolute part of the rounding bound near zero.</summary>
    public static double Tiny(DataType type) => type switch
    {
        DataType.R64F => double.Epsilon,
        DataType.R32F => float.Epsilon,
        DataType.R16F => Math.ScaleB(1, -24),
        DataType.R16BF => Math.ScaleB(1, -133),
        DataType.E4M3 => Math.ScaleB(1, -9),
        _ => Math.ScaleB(1, -16),
    };

    public static double Decode(DataType type, ReadOnlySpan<byte> bytes, long index) => type switch
    {
        DataType.R64F => BitConverter.ToDouble(bytes[(int)(index * 8)..]),
        DataType.R32F => BitConverter.ToSingle(bytes[(int)(index * 4)..]),
        DataType.R16F => FloatConversions.HalfToSingle(BitConverter.ToUInt16(bytes[(int)(index * 2)..])),
        DataType.R16BF => FloatConversions.BFloat16ToSingle(BitConverter.ToUInt16(bytes[(int)(index * 2)..])),
        DataType.E4M3 => E4M3Values[bytes[(int)index]],
        _ => E5M2Values[bytes[(int)index]],
    };

    /// <summary>Stores <paramref name="value"/>, which must already be representable in the type (see <see cref="Quantize"/>).</summary>
    public static void Encode(DataType type, Span<byte> bytes, long index, double value)
    {
        int i = (int)index;
        switch (type)
        {
            case DataType.R64F: BitConverter.TryWriteBytes(bytes[(i * 8)..], value); break;
            case DataType.R32F: BitConverter.TryWriteBytes(bytes[(i * 4)..], (float)value); break;
            case DataType.R16F: BitConverter.TryWriteBytes(bytes[(i * 2)..], FloatConversions.SingleToHalf((float)value)); break;
            case DataType.R16BF: BitConverter.TryWriteBytes(bytes[(i * 2)..], FloatConversions.SingleToBFloat16((float)value)); break;
            default: bytes[i] = (byte)Array.IndexOf(type == DataType.E4M3 ? E4M3Values : E5M2Values, value); break;
        }
        double stored = Decode(type, bytes, index);
        if (stored != value && !(double.IsNaN(stored) && double.IsNaN(value))) throw new ArgumentException($"{value} is not representable in {type}");
    }

    /// <summary>The nearest value of the type (used only to make test inputs representable).</summary>
    public static double Quantize(DataType type, double value) => type switch
    {
        DataType.R64F => value,
        DataType.R32F => (float)value,
        DataType.R16F => FloatConversions.HalfToSingle(FloatConversions.SingleToHalf((float)value)),
        DataType.R16BF => FloatConversions.BFloat16ToSingle(FloatConversions.SingleToBFloat16((float)value)),
        _ => (type == DataType.E4M3 ? E4M3Values : E5M2Values).Where(double.IsFinite).MinBy(v => Math.Abs(v - value)),
    };

    /// <summary>fp32 → TF32 (10 explicit mantissa bits), round to nearest even: what the TF32 compute types do to inputs.</summary>
    public static double RoundToTf32(double value) => RoundMantissa((float)value, 13);

    public static double RoundToBf16(double value) => RoundMantissa((float)value, 16);

    public static double RoundToHalf(double value) => (double)(Half)(float)value;

    static double RoundMantissa(float value, int dropBits)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint half = (1u << (dropBits - 1)) - 1 + ((bits >> dropBits) & 1);
        return BitConverter.UInt32BitsToSingle((bits + half) & ~((1u << dropBits) - 1));
    }

    // OCP FP8: E4M3 (bias 7, no infinity, S.1111.111 is NaN) and E5M2 (bias 15, IEEE-like).
    static double DecodeFp8(int code, int exponentBits)
    {
        int mantissaBits = 7 - exponentBits, bias = (1 << (exponentBits - 1)) - 1;
        int exponent = (code >> mantissaBits) & ((1 << exponentBits) - 1), mantissa = code & ((1 << mantissaBits) - 1);
        double sign = (code & 0x80) != 0 ? -1 : 1;
        int maxExponent = (1 << exponentBits) - 1;
        if (exponentBits == 4 && exponent == maxExponent && mantissa == (1 << mantissaBits) - 1) return double.NaN;
        if (exponentBits == 5 && exponent == maxExponent) return mantissa == 0 ? sign * double.PositiveInfinity : double.NaN;
        if (exponent == 0) return sign * Math.ScaleB(mantissa, 1 - bias - mantissaBits);
        return sign * Math.ScaleB(1 + mantissa / (double)(1 << mantissaBits), exponent - bias);
    }
}
