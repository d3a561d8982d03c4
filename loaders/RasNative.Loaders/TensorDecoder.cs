using System.Numerics;
using System.Runtime.InteropServices;

namespace RasNative.Loaders;

/// <summary>Converts a tensor's raw little-endian bytes to float32 or int64 values.</summary>
internal static class TensorDecoder
{
    public static void ToFloat32(DType dtype, ReadOnlySpan<byte> raw, Span<float> destination)
    {
        if (dtype.IsFloatingPoint())
        {
            FloatFormats.Widen(dtype, raw, 1f, destination);
            return;
        }
        switch (dtype)
        {
            case DType.I64: Widen(MemoryMarshal.Cast<byte, long>(raw), destination); break;
            case DType.I32: Widen(MemoryMarshal.Cast<byte, int>(raw), destination); break;
            case DType.I16: Widen(MemoryMarshal.Cast<byte, short>(raw), destination); break;
            case DType.I8: Widen(MemoryMarshal.Cast<byte, sbyte>(raw), destination); break;
            case DType.U8: Widen(raw, destination); break;
            case DType.BOOL: for (var i = 0; i < raw.Length; i++) destination[i] = raw[i] != 0 ? 1f : 0f; break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);
        }
    }

    /// <summary>Integers exactly; floats only when every value is an integer in int64 range
    /// (<paramref name="where"/> prefixes the error otherwise).</summary>
    public static long[] ToInt64(DType dtype, ReadOnlySpan<byte> raw, long elementCount, string where)
    {
        switch (dtype)
        {
            case DType.I64: return MemoryMarshal.Cast<byte, long>(raw).ToArray();
            case DType.I32: return WidenToInt64(MemoryMarshal.Cast<byte, int>(raw));
            case DType.I16: return WidenToInt64(MemoryMarshal.Cast<byte, short>(raw));
            case DType.I8: return WidenToInt64(MemoryMarshal.Cast<byte, sbyte>(raw));
            case DType.U8: return WidenToInt64(raw);
            case DType.BOOL: return raw.ToArray().Select(b => b != 0 ? 1L : 0L).ToArray();
            // F64 is checked in double: narrowing to float first could turn a fraction into an integer.
            case DType.F64: return IntegralToInt64(MemoryMarshal.Cast<byte, double>(raw), dtype, where);
            default:
                var floats = new float[elementCount];
                ToFloat32(dtype, raw, floats);
                return IntegralToInt64<float>(floats, dtype, where);
        }
    }

    static void Widen<T>(ReadOnlySpan<T> source, Span<float> destination) where T : INumberBase<T>
    {
        for (var i = 0; i < source.Length; i++) destination[i] = float.CreateTruncating(source[i]);
    }

    static long[] WidenToInt64<T>(ReadOnlySpan<T> source) where T : IBinaryInteger<T>
    {
        var result = new long[source.Length];
        for (var i = 0; i < source.Length; i++) result[i] = long.CreateTruncating(source[i]);
        return result;
    }

    static long[] IntegralToInt64<T>(ReadOnlySpan<T> source, DType dtype, string where) where T : IFloatingPointIeee754<T>
    {
        // 2^63 is exact in double; valid values are in [-2^63, 2^63).
        const double TwoPow63 = 9223372036854775808.0;
        var result = new long[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            var value = double.CreateTruncating(source[i]);
            if (!double.IsInteger(value) || value < -TwoPow63 || value >= TwoPow63)
                throw new SafetensorsException($"{where}: {dtype} element {i} = {value} is not an int64 integer");
            result[i] = (long)value;
        }
        return result;
    }
}
