using System.Text.Json;
using RasNative.Loaders;
using RasNative.Sampler.Random;
using RasNative.Tests;
using Xunit;

namespace RasNative.Sampler.Tests;

public class TorchRandnTests(ITestOutputHelper output)
{
    static readonly JsonElement Cases = JsonDocument
        .Parse(File.ReadAllText(FixturePaths.Get("rng", "cases.json"))).RootElement.GetProperty("cases");

    public static TheoryData<int> CaseIndices => [.. Enumerable.Range(0, Cases.GetArrayLength())];

    static (ulong Seed, long Count) Case(int index)
    {
        var entry = Cases[index];
        var count = entry.GetProperty("shape").EnumerateArray().Aggregate(1L, (n, d) => n * d.GetInt64());
        return (entry.GetProperty("seed").GetUInt64(), count);
    }

    static float[] Reference(string name)
    {
        using var file = SafetensorsFile.Open(FixturePaths.Get("rng", "torch_cpu_generator.safetensors"));
        return file.ReadFloat32(name);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void RandnReproducesTorchsCpuStream(int index)
    {
        var (seed, count) = Case(index);
        var expected = Reference($"randn_{index}");
        var actual = TorchRandn.Randn(new TorchGenerator(seed), count);

        Assert.Equal(expected.Length, actual.Length);
        var exact = expected.Zip(actual).Count(p => Bits.Same(p.First, p.Second));
        var worst = expected.Zip(actual).Max(p => Bits.Ulps(p.First, p.Second));
        output.WriteLine($"randn_{index} (seed {seed}, {count} values): {exact}/{count} bit-exact, worst {worst} ulp");
        Assert.True(worst <= 3, $"worst difference {worst} ulp");
        Assert.Equal(count, exact);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void UniformDrawsReproduceTorchRand(int index)
    {
        var (seed, count) = Case(index);
        var generator = new TorchGenerator(seed);
        var actual = new float[count];
        for (var i = 0; i < count; i++)
            actual[i] = generator.NextFloat();
        Bits.AssertBitwise(Reference($"rand_{index}"), actual, $"rand_{index}");
    }

    [Fact]
    public void SmallTensorsShareTheCachedSecondBoxMullerValue()
    {
        var pair = TorchRandn.Randn(new TorchGenerator(7), 2);
        var generator = new TorchGenerator(7);
        var first = TorchRandn.Randn(generator, 1);
        // The block path neither reads nor clears the scalar sampler's cache.
        TorchRandn.Randn(generator, 16);
        var second = TorchRandn.Randn(generator, 1);
        Bits.AssertBitwise(pair, [first[0], second[0]], "randn");
    }

    [Fact]
    public void ReseedingRestartsTheStreamAndDropsTheCache()
    {
        var generator = new TorchGenerator(99);
        var first = TorchRandn.Randn(generator, 3);
        generator.ManualSeed(99);
        Bits.AssertBitwise(first, TorchRandn.Randn(generator, 3), "randn after manual_seed");
        Assert.Equal(99UL, generator.Seed);
    }

    [Fact]
    public void SeedsAboveThirtyTwoBitsUseTheirLowWord()
    {
        var high = new TorchGenerator((1UL << 32) + 5);
        var low = new TorchGenerator(5);
        for (var i = 0; i < 1000; i++)
            Assert.Equal(low.NextUInt32(), high.NextUInt32());
    }

    [Fact]
    public void ZeroElementsDrawNothing()
    {
        var generator = new TorchGenerator(0);
        Assert.Empty(TorchRandn.Randn(generator, 0));
        Assert.Equal(new TorchGenerator(0).NextUInt32(), generator.NextUInt32());
    }
}
