using BenchmarkDotNet.Attributes;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Tensors;

namespace RasNative.Benchmarks;

/// <summary>Joint attention through CpuBackend.Attention (B = 2, 6 heads × 64), the call the SD3 block makes.</summary>
public class AttentionBenchmarks
{
    const int B = Sd3BenchShape.Batch, D = Sd3BenchShape.Width;

    CpuBackend? backend;
    AttentionArgs? args;

    [ParamsSource(nameof(Shapes))]
    public AttentionShape Shape { get; set; } = null!;

    public static IEnumerable<AttentionShape> Shapes => AttentionShape.Sd3Bench;

    [GlobalSetup]
    public void Setup()
    {
        backend = new CpuBackend();
        int seed = 10;
        Tensor Random(int rows) => Upload(backend, rows, seed++);
        args = new AttentionArgs
        {
            Query1 = Random(Shape.ImageQueries), Query2 = Random(AttentionShape.TextTokens),
            Key1 = Random(Shape.ImageKeys), Key2 = Random(AttentionShape.TextTokens),
            Value1 = Random(Shape.ImageKeys), Value2 = Random(AttentionShape.TextTokens),
            Output1 = backend.Allocate(B, Shape.ImageQueries, D), Output2 = backend.Allocate(B, AttentionShape.TextTokens, D),
            Heads = Sd3BenchShape.Heads, HeadDim = Sd3BenchShape.HeadDim, Scale = 1f / MathF.Sqrt(Sd3BenchShape.HeadDim),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    [Benchmark]
    public void Attention() => backend!.Attention(args!);

    internal static Tensor Upload(CpuBackend backend, int rows, int seed)
    {
        using var data = new NativeBuffer((long)B * rows * D, seed);
        return backend.Upload(data.Span, B, rows, D);
    }
}
