using System.Runtime.InteropServices;

namespace RasNative.Loaders;

/// <summary>
/// Stored float bytes ⇄ float32 for every floating dtype. Widening is exact (F64 is the one narrowing, rounded
/// to nearest); a per-tensor scale is applied after decoding as one float32 multiply, so every reader (file
/// decode, CPU GEMM panels, CUDA upload) produces the same bits for the same stored value.
/// </summary>
public static class FloatFormats
{
    /// <summary>destination[i] = decode(raw[i]) · scale; <paramref name="raw"/> holds exactly destination.Length elements.</summary>
    public static unsafe void Widen(DType format, ReadOnlySpan<byte> raw, float scale, Span<float> destination)
    {
        if (raw.Length != (long)destination.Length * format.ElementSize())
            throw new ArgumentException($"{raw.Length} bytes of {format} for {destination.Length} values", nameof(raw));
        fixed (byte* source = raw)
        fixed (float* target = destination)
        {
            int n = destination.Length;
            switch (format)
            {
                case DType.F16: WideningKernels.Widen16<WideningKernels.Half>((ushort*)source, target, n, scale); break;
                case DType.BF16: WideningKernels.Widen16<WideningKernels.BFloat16>((ushort*)source, target, n, scale); break;
                case DType.F8_E4M3: WideningKernels.Widen8<WideningKernels.E4M3>(source, target, n, scale); break;
                case DType.F8_E5M2: WideningKernels.Widen8<WideningKernels.E5M2>(source, target, n, scale); break;
                case DType.F32:
                    if (scale == 1f) new ReadOnlySpan<float>(source, n).CopyTo(destination);
                    else for (int i = 0; i < n; i++) target[i] = ((float*)source)[i] * scale;
                    break;
                case DType.F64:
                    for (int i = 0; i < n; i++) target[i] = (float)((double*)source)[i] * scale;
                    break;
                default: throw new ArgumentException($"{format} is not a floating-point format", nameof(format));
            }
        }
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
