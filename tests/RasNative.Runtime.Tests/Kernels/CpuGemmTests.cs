using CsCheck;
using RasNative.Loaders;
using RasNative.Runtime.Cpu.Kernels;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

public sealed unsafe class CpuGemmTests
{
    static readonly int[] EdgeSizes = [1, 2, 3, 5, 7, 13, 16, 17, 31, 64, 65, 100, 257];

    [Fact]
    public void MatchesReferenceForEveryEdgeSizeCombination()
    {
        int index = 0;
        foreach (int m in EdgeSizes)
            foreach (int n in EdgeSizes)
                foreach (int k in EdgeSizes)
                {
                    Check(m, n, k, hasBias: index % 2 == 0, (GemmEpilogue)(index % 5), SimdKinds.Best, seed: index);
                    index++;
                }
    }

    [Fact]
    public void MatchesReferenceOnRandomShapes() =>
        Gen.Select(Gen.Int[1, 80], Gen.Int[1, 80], Gen.Int[1, 80], Gen.Int[0, 4], Gen.Bool)
            .Sample((m, n, k, epilogue, hasBias) => Check(m, n, k, hasBias, (GemmEpilogue)epilogue, SimdKinds.Best, seed: (m * 97 + n) * 89 + k), iter: 300);

    [Theory]
    [InlineData(300, 520, 384, true, GemmEpilogue.GeluTanh)]
    [InlineData(131, 200, 1100, true, GemmEpilogue.Silu)]
    [InlineData(154, 300, 96, true, GemmEpilogue.Gelu)]
    [InlineData(77, 130, 200, true, GemmEpilogue.QuickGelu)]
    [InlineData(2, 1536, 384, false, GemmEpilogue.None)]
    [InlineData(200, 16, 384, true, GemmEpilogue.None)]
    public void MatchesReferenceOnLargeShapes(int m, int n, int k, bool hasBias, GemmEpilogue epilogue) =>
        Check(m, n, k, hasBias, epilogue, SimdKinds.Best, seed: 7);

    [Fact]
    public void EveryVectorWidthMatchesReferenceAndAgreesBitwise()
    {
        // Each output is one FMA chain over k whatever the width, so the widths agree exactly without an epilogue.
        (int M, int N, int K)[] shapes = [(7, 13, 5), (17, 33, 300), (65, 70, 31), (1, 40, 1), (9, 40, 800)];
        foreach (var (m, n, k) in shapes)
        {
            var outputs = Enum.GetValues<SimdKind>()
                .Select(kind => Check(m, n, k, hasBias: true, GemmEpilogue.None, kind, seed: m + n + k))
                .ToList();
            foreach (var output in outputs.Skip(1))
                Assert.Equal(outputs[0], output);
            foreach (var kind in Enum.GetValues<SimdKind>())
                foreach (var epilogue in new[] { GemmEpilogue.GeluTanh, GemmEpilogue.Gelu, GemmEpilogue.QuickGelu })
                    Check(m, n, k, hasBias: true, epilogue, kind, seed: m + n + k);
        }
    }

    [Fact]
    public void RepeatedRunsAreBitwiseEqual()
    {
        var first = Check(500, 384, 700, hasBias: true, GemmEpilogue.GeluTanh, SimdKinds.Best, seed: 3);
        var second = Check(500, 384, 700, hasBias: true, GemmEpilogue.GeluTanh, SimdKinds.Best, seed: 3);
        Assert.Equal(first, second);
    }

    [Fact]
    public void ZeroRowsWritesNothing()
    {
        using var packed = PackedLinearWeight.Create(StoredTensor.F32(new float[6], 2, 3), [], 2, 3);
        using var y = new GuardedBuffer(0);
        CpuGemm.Linear(null, 0, packed, y.Data, GemmEpilogue.None);
        y.AssertGuardsIntact();
    }

    [Fact]
    public void DisposedWeightIsRejected()
    {
        var packed = PackedLinearWeight.Create(StoredTensor.F32(new float[6], 2, 3), [1f, 2f], 2, 3);
        Assert.Equal((2, 3, true, DType.F32), (packed.N, packed.K, packed.HasBias, packed.Storage));
        packed.Dispose();
        packed.Dispose();
        using var x = new GuardedBuffer(3);
        using var y = new GuardedBuffer(2);
        Assert.Throws<ObjectDisposedException>(() => CpuGemm.Linear(x.Data, 1, packed, y.Data, GemmEpilogue.None));
    }

    [Fact]
    public void MismatchedWeightOrBiasIsRejected()
    {
        Assert.Throws<ArgumentException>(() => PackedLinearWeight.Create(StoredTensor.F32(new float[5], 5), [], 2, 3));
        Assert.Throws<ArgumentException>(() => PackedLinearWeight.Create(StoredTensor.F32(new float[6], 6), [1f], 2, 3));
        Assert.Throws<ArgumentException>(() => PackedLinearWeight.Create(new StoredTensor(DType.F64, new byte[48], [2, 3]), [], 2, 3));
    }

    /// <summary>Runs y = act(x·Wᵀ + b) on random data in guarded buffers and checks it against the double reference.</summary>
    static float[] Check(int m, int n, int k, bool hasBias, GemmEpilogue epilogue, SimdKind kind, int seed)
    {
        var random = new Random(seed);
        using var x = new GuardedBuffer((long)m * k);
        x.FillRandom(random);
        float[] w = RandomValues(random, n * k), bias = hasBias ? RandomValues(random, n) : [];
        using var y = new GuardedBuffer((long)m * n);
        using (var packed = PackedLinearWeight.Create(StoredTensor.F32(w, n, k), bias, n, k, kind))
            CpuGemm.Linear(x.Data, m, packed, y.Data, epilogue);
        x.AssertGuardsIntact();
        y.AssertGuardsIntact();

        var (expected, magnitude) = GemmReference.Linear(x.Span, w, bias, m, n, k, epilogue);
        for (int i = 0; i < expected.Length; i++)
        {
            // The activations' slopes stay below 1.2, so they scale the accumulation error by at most that.
            double tolerance = 1.2e-5 * magnitude[i] + 1e-6 * Math.Abs(expected[i]) + 1e-6;
            double error = Math.Abs(y.Data[i] - expected[i]);
            Assert.True(error <= tolerance,
                $"{kind} m={m} n={n} k={k} bias={hasBias} {epilogue}: y[{i / n},{i % n}] = {y.Data[i]:g9}, expected {expected[i]:g9}");
        }
        return y.Span.ToArray();
    }

    static float[] RandomValues(Random random, int count)
    {
        var values = new float[count];
        foreach (ref float value in values.AsSpan())
            value = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
