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

    public static unsafe void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        CheckLengths(source, destination);
        fixed (ushort* s = source)
        fixed (float* d = destination)
            WideningKernels.Widen16<WideningKernels.BFloat16>(s, d, source.Length, 1f);
    }

    public static unsafe void HalfToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        CheckLengths(source, destination);
        fixed (ushort* s = source)
        fixed (float* d = destination)
            WideningKernels.Widen16<WideningKernels.Half>(s, d, source.Length, 1f);
    }

    static void CheckLengths(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"destination has {destination.Length} elements, source has {source.Length}", nameof(destination));
    }
}
