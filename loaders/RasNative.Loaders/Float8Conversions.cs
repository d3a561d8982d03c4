using System.Runtime.Intrinsics;

namespace RasNative.Loaders;

/// <summary>
/// Bit-exact conversions between float32 and the 8-bit float formats of safetensors (PyTorch's float8_e4m3fn and
/// float8_e5m2). Decoding is exact; encoding rounds to nearest even from float32 directly, as PyTorch's cast does.
/// </summary>
public static unsafe class Float8Conversions
{
    const float E4M3SubnormalStep = 1f / 512;      // 2^-9: e = 0 codes are m·2^-9
    const uint E4M3ExponentRebias = 120u << 23;      // float32 bias 127 − e4m3 bias 7, in the exponent field
    const uint QuietNaN = 0x7FC00000;

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
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= source.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(source.Slice(i, Vector256<byte>.Count)));
                WidenAndStore(lower, destination.Slice(i), &DecodeE4M3);
                WidenAndStore(upper, destination.Slice(i + Vector256<ushort>.Count), &DecodeE4M3);
            }
        for (; i < source.Length; i++) destination[i] = E4M3ToSingle(source[i]);
    }

    public static void E5M2ToSingle(ReadOnlySpan<byte> source, Span<float> destination)
    {
        CheckLengths(source, destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= source.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(source.Slice(i, Vector256<byte>.Count)));
                WidenAndStore(lower, destination.Slice(i), &DecodeE5M2);
                WidenAndStore(upper, destination.Slice(i + Vector256<ushort>.Count), &DecodeE5M2);
            }
        for (; i < source.Length; i++) destination[i] = E5M2ToSingle(source[i]);
    }

    static unsafe void WidenAndStore(Vector256<ushort> codes, Span<float> destination, delegate*<Vector256<uint>, Vector256<float>> decode)
    {
        var (lower, upper) = Vector256.Widen(codes);
        decode(lower).CopyTo(destination);
        decode(upper).CopyTo(destination.Slice(Vector256<uint>.Count));
    }

    // Normal codes by integer rebiasing; subnormals as m·2^-9 from an exact int → float conversion, so no float
    // operation ever sees a denormal operand (slow microcode on some x86 cores).
    static Vector256<float> DecodeE4M3(Vector256<uint> code)
    {
        var magnitude = code & Vector256.Create(0x7Fu);
        var normal = Vector256.ShiftLeft(magnitude, 20) + Vector256.Create(E4M3ExponentRebias);
        var subnormal = Vector256.ConvertToSingle((code & Vector256.Create(7u)).AsInt32()) * Vector256.Create(E4M3SubnormalStep);
        var result = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(8u)), subnormal.AsUInt32(), normal);
        result = Vector256.ConditionalSelect(Vector256.Equals(magnitude, Vector256.Create(0x7Fu)), Vector256.Create(QuietNaN), result);
        return (result | Vector256.ShiftLeft(code & Vector256.Create(0x80u), 24)).AsSingle();
    }

    static Vector256<float> DecodeE5M2(Vector256<uint> code) => FloatConversions.WidenedHalfToSingle(Vector256.ShiftLeft(code, 8));

    static void CheckLengths(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"destination has {destination.Length} elements, source has {source.Length}", nameof(destination));
    }
}
