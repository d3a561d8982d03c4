using CsCheck;
using RasNative.Loaders;
using RasNative.Runtime.Cpu.Kernels;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

/// <summary>
/// Weights packed in their stored width (F16, BF16, F8_E4M3, F8_E5M2 with a per-tensor scale) give bit for bit the
/// outputs of the same weights widened to float32 before packing, for any shape, epilogue and vector width.
/// </summary>
public sealed unsafe class NarrowWeightGemmTests
{
    static readonly DType[] NarrowFormats = [DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2];

    [Fact]
    public void RandomShapesEveryFormatAndWidth() =>
        Gen.Select(Gen.Int[1, 80], Gen.Int[1, 80], Gen.Int[1, 80], Gen.Int[0, NarrowFormats.Length - 1], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Bool)
            .Sample((m, n, k, format, kind, epilogue, bias) =>
                AssertNarrowEqualsWidened(m, n, k, NarrowFormats[format], (SimdKind)kind, (GemmEpilogue)epilogue, bias, seed: (m * 97 + n) * 89 + k),
                iter: 400);

    [Theory]
    [InlineData(200, 65, 1100)]   // three K slices and a partial last panel
    [InlineData(97, 33, 385)]     // two K slices, one of them a single row
    [InlineData(2, 1536, 384)]    // the conditioning GEMMs' two rows
    [InlineData(300, 7, 777)]     // narrower than one panel
    [InlineData(800, 40, 500)]    // three row blocks of narrow weights
    public void LargeShapesEveryFormatAndWidth(int m, int n, int k)
    {
        foreach (var format in NarrowFormats)
            foreach (var kind in Enum.GetValues<SimdKind>())
                AssertNarrowEqualsWidened(m, n, k, format, kind, GemmEpilogue.GeluTanh, bias: true, seed: m + n + k);
    }

    [Fact]
    public void StorageAndBytesAreTheStoredWidth()
    {
        var values = new float[40 * 30];
        foreach (var (format, size) in new[] { (DType.F32, 4), (DType.BF16, 2), (DType.F8_E4M3, 1) })
        {
            using var packed = PackedLinearWeight.Create(new StoredTensor(format, FloatFormats.Narrow(format, values), [40, 30]), new float[40], 40, 30, SimdKind.Vector256);
            Assert.Equal(format, packed.Storage);
            int panelColumns = 48; // 40 outputs in 16-wide panels
            Assert.Equal(((long)panelColumns * 30 * size + 63) / 64 * 64 + panelColumns * sizeof(float), packed.Bytes);
            Assert.Equal(packed.Bytes, PackedLinearWeight.BytesFor(format, 40, 30, hasBias: true, SimdKind.Vector256));
        }
    }

    static void AssertNarrowEqualsWidened(int m, int n, int k, DType format, SimdKind kind, GemmEpilogue epilogue, bool bias, int seed)
    {
        var random = new Random(seed);
        // fp8 magnitudes around 1/√k, as real weights, so subnormal codes occur; a scale of about 1/50 as in scaled fp8 files.
        float amplitude = format.IsFloat8() ? 4f : 1f, scale = format.IsFloat8() ? 0.0213f : 1f;
        var codes = FloatFormats.Narrow(format, RandomValues(random, n * k, amplitude));
        var stored = new StoredTensor(format, codes, [n, k], scale);
        var widened = stored.ToFloat32();
        float[] biasValues = bias ? RandomValues(random, n, 1f) : [];
        using var x = new GuardedBuffer((long)m * k);
        x.FillRandom(random);
        using var narrowY = new GuardedBuffer((long)m * n);
        using var wideY = new GuardedBuffer((long)m * n);
        using (var narrow = PackedLinearWeight.Create(stored, biasValues, n, k, kind))
            CpuGemm.Linear(x.Data, m, narrow, narrowY.Data, epilogue);
        using (var wide = PackedLinearWeight.Create(StoredTensor.F32(widened, n, k), biasValues, n, k, kind))
            CpuGemm.Linear(x.Data, m, wide, wideY.Data, epilogue);
        narrowY.AssertGuardsIntact();
        wideY.AssertGuardsIntact();
        var narrowBits = narrowY.Span.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();
        var wideBits = wideY.Span.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();
        Assert.True(narrowBits.SequenceEqual(wideBits), $"{format} {kind} m={m} n={n} k={k} {epilogue} bias={bias}: narrow-weight output differs from the widened one");
        if (widened.Any(v => v != 0))
            Assert.Contains(wideBits, b => (b & 0x7FFFFFFF) != 0); // the comparison is not between two zero outputs
    }

    static float[] RandomValues(Random random, int count, float amplitude)
    {
        var values = new float[count];
        foreach (ref float value in values.AsSpan())
            value = amplitude * (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
