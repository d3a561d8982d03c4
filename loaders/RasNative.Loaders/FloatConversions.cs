using System.Runtime.Intrinsics;

namespace RasNative.Loaders;

/// <summary>Bit-exact conversions between float32 and the 16-bit float formats (all rounding is to nearest even).</summary>
public static class FloatConversions
{
    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    public static ushort SingleToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        // Rounding could carry a NaN payload into the exponent/sign; return a quiet NaN with the sign kept instead.
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    public static ushort SingleToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        CheckLengths(source, destination);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(source.Slice(i, Vector256<ushort>.Count)));
                Vector256.ShiftLeft(lower, 16).AsSingle().CopyTo(destination.Slice(i));
                Vector256.ShiftLeft(upper, 16).AsSingle().CopyTo(destination.Slice(i + Vector256<uint>.Count));
            }
        }
        for (; i < source.Length; i++) destination[i] = BFloat16ToSingle(source[i]);
    }

    public static void HalfToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        CheckLengths(source, destination);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(source.Slice(i, Vector256<ushort>.Count)));
                WidenedHalfToSingle(lower).CopyTo(destination.Slice(i));
                WidenedHalfToSingle(upper).CopyTo(destination.Slice(i + Vector256<uint>.Count));
            }
        }
        for (; i < source.Length; i++) destination[i] = HalfToSingle(source[i]);
    }

    // Branch-free half→single (F. Giesen's "half_to_float_fast"): rebias the exponent, fix up Inf/NaN,
    // and renormalise subnormals by a float subtraction (exact).
    internal static Vector256<float> WidenedHalfToSingle(Vector256<uint> half)
    {
        var shiftedExponentMask = Vector256.Create(0x7C00u << 13);
        var magnitude = Vector256.ShiftLeft(half & Vector256.Create(0x7FFFu), 13);
        var exponent = magnitude & shiftedExponentMask;
        var rebiased = magnitude + Vector256.Create((127u - 15u) << 23);

        var infOrNaN = rebiased + Vector256.Create((128u - 16u) << 23);
        var subnormal = (rebiased + Vector256.Create(1u << 23)).AsSingle() - Vector256.Create(113u << 23).AsSingle();

        var result = Vector256.ConditionalSelect(Vector256.Equals(exponent, shiftedExponentMask), infOrNaN, rebiased);
        result = Vector256.ConditionalSelect(Vector256.Equals(exponent, Vector256<uint>.Zero), subnormal.AsUInt32(), result);
        var sign = Vector256.ShiftLeft(half & Vector256.Create(0x8000u), 16);
        return (result | sign).AsSingle();
    }

    static void CheckLengths(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"destination has {destination.Length} elements, source has {source.Length}", nameof(destination));
    }
}
