using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RasNative.Loaders;

/// <summary>
/// Stored float bytes ⇄ float32 for every floating dtype. Widening is exact (F64 is the one narrowing, rounded
/// to nearest); a per-tensor scale is applied after decoding as one float32 multiply, so every reader (file
/// decode, CPU GEMM panels, CUDA upload) produces the same bits for the same stored value.
/// </summary>
public static class FloatFormats
{
    /// <summary>destination[i] = decode(raw[i]) · scale; <paramref name="raw"/> holds exactly destination.Length elements.</summary>
    public static void Widen(DType format, ReadOnlySpan<byte> raw, float scale, Span<float> destination)
    {
        if (raw.Length != (long)destination.Length * format.ElementSize())
            throw new ArgumentException($"{raw.Length} bytes of {format} for {destination.Length} values", nameof(raw));
        switch (format)
        {
            case DType.F32: MemoryMarshal.Cast<byte, float>(raw).CopyTo(destination); break;
            case DType.F16: FloatConversions.HalfToSingle(MemoryMarshal.Cast<byte, ushort>(raw), destination); break;
            case DType.BF16: FloatConversions.BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(raw), destination); break;
            case DType.F8_E4M3: Float8Conversions.E4M3ToSingle(raw, destination); break;
            case DType.F8_E5M2: Float8Conversions.E5M2ToSingle(raw, destination); break;
            case DType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(raw);
                for (int i = 0; i < doubles.Length; i++) destination[i] = (float)doubles[i];
                break;
            default: throw new ArgumentException($"{format} is not a floating-point format", nameof(format));
        }
        if (scale != 1f) Scale(destination, scale);
    }

    static void Scale(Span<float> values, float scale)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                (Vector256.Create(values.Slice(i, Vector256<float>.Count)) * scale).CopyTo(values.Slice(i));
        for (; i < values.Length; i++) values[i] *= scale;
    }

    /// <summary>float32 values in <paramref name="format"/>'s bytes: round to nearest even (NaN kept), F64 exact.</summary>
    public static byte[] Narrow(DType format, ReadOnlySpan<float> values)
    {
        var bytes = new byte[(long)values.Length * format.ElementSize()];
        switch (format)
        {
            case DType.F32: MemoryMarshal.AsBytes(values).CopyTo(bytes); break;
            case DType.F64: Fill(MemoryMarshal.Cast<byte, double>(bytes.AsSpan()), values, v => v); break;
            case DType.F16: Fill(MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan()), values, FloatConversions.SingleToHalf); break;
            case DType.BF16: Fill(MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan()), values, FloatConversions.SingleToBFloat16); break;
            case DType.F8_E4M3: Fill(bytes.AsSpan(), values, Float8Conversions.SingleToE4M3); break;
            case DType.F8_E5M2: Fill(bytes.AsSpan(), values, Float8Conversions.SingleToE5M2); break;
            default: throw new ArgumentException($"{format} is not a floating-point format", nameof(format));
        }
        return bytes;
    }

    static void Fill<T>(Span<T> destination, ReadOnlySpan<float> values, Func<float, T> convert)
    {
        for (int i = 0; i < values.Length; i++) destination[i] = convert(values[i]);
    }
}
