namespace RasNative.Loaders;

/// <summary>
/// Bit-exact conversions between float32 and the 8-bit float formats of safetensors (PyTorch's float8_e4m3fn and
/// float8_e5m2). Decoding is exact; encoding rounds to nearest even from float32 directly, as PyTorch's cast does.
/// </summary>
public static unsafe class Float8Conversions
{
    internal const float E4M3SubnormalStep = 1f / 512;      // 2^-9: e = 0 codes are m·2^-9
    internal const uint E4M3ExponentRebias = 120u << 23;      // float32 bias 127 − e4m3 bias 7, in the exponent field
    internal const uint QuietNaN = 0x7FC00000;

    /// <summary>float8_e4m3fn: s eeee mmm, bias 7; e = 0: ±m/8·2^-6; S.1111.111 = NaN; no infinities (max ±448).</summary>
    public static float E4M3ToSingle(byte code)
    {
        uint magnitude = code & 0x7Fu, sign = (uint)(code & 0x80) << 24;
        uint bits = magnitude == 0x7F ? QuietNaN
            : magnitude < 8 ? BitConverter.SingleToUInt32Bits(magnitude * E4M3SubnormalStep)
            : (magnitude << 20) + E4M3ExponentRebias;
        return BitConverter.UInt32BitsToSingle(bits | sign);
    }

    /// <summary>float8_e5m2 is the upper byte of an IEEE half: bias 15, subnormals, ±inf (0x7C) and NaN.</summary>
    public static float E5M2ToSingle(byte code) => FloatConversions.HalfToSingle((ushort)(code << 8));

    /// <summary>
    /// Round to nearest even; NaN, infinities and magnitudes that round above 448 become NaN (0x7F with the sign):
    /// PyTorch's float32 → float8_e4m3fn cast, which does not saturate.
    /// </summary>
    public static byte SingleToE4M3(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value), sign = (bits >> 24) & 0x80, magnitude = bits & 0x7FFFFFFF;
        float absolute = BitConverter.UInt32BitsToSingle(magnitude);
        uint code;
        if (float.IsNaN(absolute)) code = 0x7F;
        else if (absolute < 8 * E4M3SubnormalStep) code = (uint)MathF.Round(absolute / E4M3SubnormalStep); // 8 → 0x08, the smallest normal
        else code = Math.Min(0x7Fu, (magnitude + 0x7FFFFu + ((magnitude >> 20) & 1)) - E4M3ExponentRebias >> 20);
        return (byte)(code | sign);
    }

    /// <summary>Round to nearest even; magnitudes that round past the largest finite value (57344) become ±inf; NaN stays NaN.</summary>
    public static byte SingleToE5M2(float value)
    {
        const uint ExponentRebias = 112u << 23; // float32 bias 127 − e5m2 bias 15
        const float SubnormalStep = 1f / 65536;  // 2^-16
        uint bits = BitConverter.SingleToUInt32Bits(value), sign = (bits >> 24) & 0x80, magnitude = bits & 0x7FFFFFFF;
        float absolute = BitConverter.UInt32BitsToSingle(magnitude);
        uint code;
        if (float.IsNaN(absolute)) code = 0x7F;
        else if (absolute < 4 * SubnormalStep) code = (uint)MathF.Round(absolute / SubnormalStep); // 4 → 0x04, the smallest normal
        else code = Math.Min(0x7Cu, (magnitude + 0xFFFFFu + ((magnitude >> 21) & 1)) - ExponentRebias >> 21);
        return (byte)(code | sign);
    }

    public static void E4M3ToSingle(ReadOnlySpan<byte> source, Span<float> destination)
    {
        CheckLengths(source, destination);
        fixed (byte* s = source)
        fixed (float* d = destination)
            WideningKernels.Widen8<WideningKernels.E4M3>(s, d, source.Length, 1f);
    }

    public static void E5M2ToSingle(ReadOnlySpan<byte> source, Span<float> destination)
    {
        CheckLengths(source, destination);
        fixed (byte* s = source)
        fixed (float* d = destination)
            WideningKernels.Widen8<WideningKernels.E5M2>(s, d, source.Length, 1f);
    }

    static void CheckLengths(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"destination has {destination.Length} elements, source has {source.Length}", nameof(destination));
    }
}
