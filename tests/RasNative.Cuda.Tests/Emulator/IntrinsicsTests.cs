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

    /// <summary>ras_pack_{bf16,f16}x2 (cvt.rn.*x2.f32): the first float rounded into bits 0–15, the second into 16–31, NaN a NaN.</summary>
    [Fact]
    public void PackedPairsRoundEachHalfToNearestEven()
    {
        using var device = new ProbeContext();
        var floats = Floats();
        if (floats.Length % 2 != 0) floats = [.. floats, 1f];
        int pairs = floats.Length / 2;
        ulong bf16 = device.Allocate(pairs * 4), f16 = device.Allocate(pairs * 4);
        Assert.Equal(Driver.Success, device.Launch("pack_pairs", 64, 256, device.Upload<float>(floats), bf16, f16, pairs));
        var packedBf16 = device.Download<uint>(bf16, pairs);
        var packedF16 = device.Download<uint>(f16, pairs);
        for (int i = 0; i < floats.Length; i++)
        {
            int shift = 16 * (i % 2);
            ushort b = (ushort)(packedBf16[i / 2] >> shift), h = (ushort)(packedF16[i / 2] >> shift);
            if (float.IsNaN(floats[i]))
            {
                Assert.True((b & 0x7f80) == 0x7f80 && (b & 0x7f) != 0, $"{floats[i]} → bf16 {b:x4}");
                Assert.True((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0, $"{floats[i]} → half {h:x4}");
                continue;
            }
            Assert.True(FloatConversions.SingleToBFloat16(floats[i]) == b, $"{floats[i]:R} → bf16 {b:x4}, expected {FloatConversions.SingleToBFloat16(floats[i]):x4}");
            Assert.True(FloatConversions.SingleToHalf(floats[i]) == h, $"{floats[i]:R} → half {h:x4}, expected {FloatConversions.SingleToHalf(floats[i]):x4}");
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

    [Fact]
    public void AtomicsFromEveryThreadOfConcurrentBlocksAllLand()
    {
        using var device = new ProbeContext();
        const int blocks = 64, threads = 256, total = blocks * threads;
        ulong ints = device.Upload<int>(new int[3]), floats = device.Upload<float>(new float[2]);
        Assert.Equal(Driver.Success, device.Launch("atomics", blocks, threads, ints, floats));
        Assert.Equal([total, total - 1, total], device.Download<int>(ints, 3));
        Assert.Equal([total, 2.5f], device.Download<float>(floats, 2));
    }

    [Fact]
    public void DynamicSharedMemoryIsPerBlock()
    {
        using var device = new ProbeContext();
        var x = Enumerable.Range(0, 3 * 128).Select(i => (float)i).ToArray();
        var y = device.Allocate(x.Length * 4);
        Assert.Equal(Driver.Success, device.Launch("reverse_through_shared", 3, 128, 128 * sizeof(float), device.Upload<float>(x), y));
        var expected = Enumerable.Range(0, 3).SelectMany(b => Enumerable.Range(0, 128).Select(t => x[b * 128 + 127 - t]));
        Assert.Equal(expected, device.Download<float>(y, x.Length));
    }

    [Fact]
    public void MathFunctionsStayWithinCudasUlpBounds()
    {
        using var device = new ProbeContext();
        const int n = 20001;
        var x = Enumerable.Range(0, n).Select(i => -10f + 20f * i / (n - 1)).ToArray();
        var output = device.Allocate(5L * n * 4);
        Assert.Equal(Driver.Success, device.Launch("math_functions", 16, 256, device.Upload<float>(x), output, n));
        var values = device.Download<float>(output, 5 * n);
        for (int i = 0; i < n; i++)
        {
            double v = x[i], safe = Math.Abs(v) + 1e-3f;
            // CUDA C Programming Guide, "Mathematical Functions": expf 2 ulp, __expf 2 + floor(|1.173·x|), tanhf 2,
            // rsqrtf 2, sqrtf correctly rounded (0.5 ulp: exact after rounding).
            AssertUlps(Math.Exp(v), values[5 * i], 2, $"expf({v})");
            AssertUlps(Math.Exp(v), values[5 * i + 1], 2 + Math.Floor(Math.Abs(1.173 * v)), $"__expf({v})");
            AssertUlps(Math.Tanh(v), values[5 * i + 2], 2, $"tanhf({v})");
            AssertUlps(1 / Math.Sqrt((float)safe), values[5 * i + 3], 2, $"rsqrtf({(float)safe})");
            Assert.Equal(MathF.Sqrt(MathF.Abs(x[i])), values[5 * i + 4]);
        }
    }

    static void AssertUlps(double exact, float actual, double bound, string what)
    {
        float rounded = (float)exact;
        double ulp = MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded);
        double error = Math.Abs(actual - exact) / ulp;
        Assert.True(error <= bound + 0.5, $"{what} = {actual:R}: {error:F2} ulp from {exact:R} (bound {bound})");
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
