using RasNative.Cuda.Native;
using RasNative.Loaders;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>The conversions of ras.cuh and the _rn intrinsics are bit-exact (on a GPU and in the emulator's twins).</summary>
public class IntrinsicsTests
{
    [Fact]
    public void SixteenBitConversionsAreBitExact()
    {
        using var device = new ProbeContext();
        var floats = Floats();
        ulong fromHalf = device.Allocate(65536 * 4), toHalf = device.Allocate(floats.Length * 2), toBf16 = device.Allocate(floats.Length * 2);
        Assert.Equal(Driver.Success, device.Launch("conversions", 64, 256, fromHalf, device.Upload<float>(floats), toHalf, toBf16, floats.Length));
        var widened = device.Download<float>(fromHalf, 65536);
        for (int bits = 0; bits < 65536; bits++)
        {
            float expected = FloatConversions.HalfToSingle((ushort)bits);
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(widened[bits]), $"half {bits:x4}");
            else Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(widened[bits]), $"half {bits:x4}: {widened[bits]}, expected {expected}");
        }
        var halves = device.Download<ushort>(toHalf, floats.Length);
        var bf16 = device.Download<ushort>(toBf16, floats.Length);
        for (int i = 0; i < floats.Length; i++)
        {
            // NaN: any binary16 NaN (the GPU's canonical one is 0x7fff); bfloat16 keeps the host's rule exactly.
            if (float.IsNaN(floats[i])) Assert.True((halves[i] & 0x7c00) == 0x7c00 && (halves[i] & 0x3ff) != 0, $"{floats[i]} → {halves[i]:x4}");
            else Assert.True(FloatConversions.SingleToHalf(floats[i]) == halves[i], $"{floats[i]:R} → {halves[i]:x4}, expected {FloatConversions.SingleToHalf(floats[i]):x4}");
            Assert.True(FloatConversions.SingleToBFloat16(floats[i]) == bf16[i], $"{floats[i]:R} → bf16 {bf16[i]:x4}, expected {FloatConversions.SingleToBFloat16(floats[i]):x4}");
        }
    }

    [Fact]
    public void RoundedProductIsNeverFusedAndFmafIs()
    {
        using var device = new ProbeContext();
        var random = new Random(3);
        const int n = 4096;
        float[] a = Random(random, n), b = Random(random, n), c = Random(random, n);
        ulong twice = device.Allocate(n * 4), fused = device.Allocate(n * 4);
        Assert.Equal(Driver.Success, device.Launch("rounding", 16, 256, device.Upload<float>(a), device.Upload<float>(b), device.Upload<float>(c), twice, fused, n));
        float[] roundedTwice = device.Download<float>(twice, n), roundedOnce = device.Download<float>(fused, n);
        int differ = 0;
        for (int i = 0; i < n; i++)
        {
            float product = a[i] * b[i], expectedTwice = product + c[i], expectedOnce = MathF.FusedMultiplyAdd(a[i], b[i], c[i]);
            Assert.True(expectedTwice == roundedTwice[i], $"__fadd_rn(__fmul_rn({a[i]:R}, {b[i]:R}), {c[i]:R}) = {roundedTwice[i]:R}, expected {expectedTwice:R}");
            Assert.True(expectedOnce == roundedOnce[i], $"fmaf({a[i]:R}, {b[i]:R}, {c[i]:R}) = {roundedOnce[i]:R}, expected {expectedOnce:R}");
            if (expectedTwice != expectedOnce) differ++;
        }
        Assert.True(differ > n / 10, $"only {differ} inputs tell the roundings apart");
    }

    /// <summary>Every region of binary16: zeros, subnormals, normals, halfway ties, the overflow edge, infinities, NaN.</summary>
    static float[] Floats()
    {
        var values = new List<float> { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 65504f, 65519.99f, 65520f, -65520f, 1e-8f, 2.98e-8f, 5.96e-8f };
        for (int bits = 0; bits < 0x7c00; bits += 7)
        {
            float half = FloatConversions.HalfToSingle((ushort)bits), next = FloatConversions.HalfToSingle((ushort)(bits + 1));
            values.AddRange([half, -half, (half + next) / 2, BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits((half + next) / 2) + 1)]);
        }
        var random = new Random(11);
        for (int i = 0; i < 4000; i++) values.Add(BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32)));
        return values.ToArray();
    }

    static float[] Random(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
}
