using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RasNative.Loaders;

/// <summary>
/// The vector loops behind every bulk float16 / bfloat16 / fp8 → float32 conversion: one loop per element width,
/// specialised per format through a decoder struct so the JIT inlines the decode (the CPU GEMM widens weight
/// panels through these, so they are hot). Each decoder is exact and agrees with its scalar form on every code;
/// scale ≠ 1 multiplies each decoded value once, in float32.
/// </summary>
internal static unsafe class WideningKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen16<TDecoder>(ushort* source, float* destination, int count, float scale)
        where TDecoder : struct, IDecoder
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scales = Vector256.Create(scale);
            for (; i <= count - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Load(source + i));
                Store(TDecoder.Decode(lower), destination + i, scale, scales);
                Store(TDecoder.Decode(upper), destination + i + Vector256<uint>.Count, scale, scales);
            }
        }
        for (; i < count; i++)
            destination[i] = Scaled(TDecoder.Decode(source[i]), scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen8<TDecoder>(byte* source, float* destination, int count, float scale)
        where TDecoder : struct, IDecoder
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scales = Vector256.Create(scale);
            for (; i <= count - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Load(source + i));
                var (q0, q1) = Vector256.Widen(lower);
                var (q2, q3) = Vector256.Widen(upper);
                float* d = destination + i;
                Store(TDecoder.Decode(q0), d, scale, scales);
                Store(TDecoder.Decode(q1), d + Vector256<uint>.Count, scale, scales);
                Store(TDecoder.Decode(q2), d + 2 * Vector256<uint>.Count, scale, scales);
                Store(TDecoder.Decode(q3), d + 3 * Vector256<uint>.Count, scale, scales);
            }
        }
        for (; i < count; i++)
            destination[i] = Scaled(TDecoder.Decode(source[i]), scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(Vector256<float> values, float* destination, float scale, Vector256<float> scales) =>
        (scale == 1f ? values : values * scales).Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Scaled(float value, float scale) => scale == 1f ? value : value * scale;

    /// <summary>One format's decode, for 8 codes (zero-extended to 32 bits) and for one.</summary>
    public interface IDecoder
    {
        static abstract Vector256<float> Decode(Vector256<uint> codes);

        static abstract float Decode(uint code);
    }

    public readonly struct BFloat16 : IDecoder
    {
        // bf16 is the top half of a float32.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Decode(Vector256<uint> codes) => Vector256.ShiftLeft(codes, 16).AsSingle();

        public static float Decode(uint code) => FloatConversions.BFloat16ToSingle((ushort)code);
    }

    public readonly struct Half : IDecoder
    {
        // Branch-free half→single (F. Giesen's "half_to_float_fast"): rebias the exponent, fix up Inf/NaN, and
        // renormalise subnormals by a float subtraction of two normal numbers (exact).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Decode(Vector256<uint> codes)
        {
            var shiftedExponentMask = Vector256.Create(0x7C00u << 13);
            var magnitude = Vector256.ShiftLeft(codes & Vector256.Create(0x7FFFu), 13);
            var exponent = magnitude & shiftedExponentMask;
            var rebiased = magnitude + Vector256.Create((127u - 15u) << 23);

            var infOrNaN = rebiased + Vector256.Create((128u - 16u) << 23);
            var subnormal = (rebiased + Vector256.Create(1u << 23)).AsSingle() - Vector256.Create(113u << 23).AsSingle();

            var result = Vector256.ConditionalSelect(Vector256.Equals(exponent, shiftedExponentMask), infOrNaN, rebiased);
            result = Vector256.ConditionalSelect(Vector256.Equals(exponent, Vector256<uint>.Zero), subnormal.AsUInt32(), result);
            var sign = Vector256.ShiftLeft(codes & Vector256.Create(0x8000u), 16);
            return (result | sign).AsSingle();
        }

        public static float Decode(uint code) => FloatConversions.HalfToSingle((ushort)code);
    }

    public readonly struct E4M3 : IDecoder
    {
        // Normal codes by integer rebiasing; subnormals as m·2^-9 from an exact int → float conversion, so no float
        // operation ever sees a denormal operand (slow microcode on some x86 cores).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Decode(Vector256<uint> codes)
        {
            var magnitude = codes & Vector256.Create(0x7Fu);
            var normal = Vector256.ShiftLeft(magnitude, 20) + Vector256.Create(Float8Conversions.E4M3ExponentRebias);
            var subnormal = Vector256.ConvertToSingle((codes & Vector256.Create(7u)).AsInt32()) * Vector256.Create(Float8Conversions.E4M3SubnormalStep);
            var result = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(8u)), subnormal.AsUInt32(), normal);
            result = Vector256.ConditionalSelect(Vector256.Equals(magnitude, Vector256.Create(0x7Fu)), Vector256.Create(Float8Conversions.QuietNaN), result);
            return (result | Vector256.ShiftLeft(codes & Vector256.Create(0x80u), 24)).AsSingle();
        }

        public static float Decode(uint code) => Float8Conversions.E4M3ToSingle((byte)code);
    }

    public readonly struct E5M2 : IDecoder
    {
        // The upper byte of an IEEE half.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Decode(Vector256<uint> codes) => Half.Decode(Vector256.ShiftLeft(codes, 8));

        public static float Decode(uint code) => Float8Conversions.E5M2ToSingle((byte)code);
    }
}
