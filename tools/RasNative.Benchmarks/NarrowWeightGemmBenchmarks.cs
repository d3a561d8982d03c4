using BenchmarkDotNet.Attributes;
using RasNative.Loaders;
using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Benchmarks;

/// <summary>
/// CpuGemm.Linear with the weight held in each storage format (the GEMM widens each KC × panel slice to float32
/// before the micro-kernel reads it): the F32 row is the plain kernel, the others add the widening. Same operands
/// as <see cref="GemmBenchmarks"/> (the weights rounded to the format), no bias, no activation.
/// </summary>
public unsafe class NarrowWeightGemmBenchmarks
{
    NativeBuffer? x, y;
    PackedLinearWeight? packed;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(DType.F32, DType.BF16, DType.F16, DType.F8_E4M3)]
    public DType Storage { get; set; }

    /// <summary>The image stream's projections and FFN, a text-stream projection, and the two-row AdaLN GEMM.</summary>
    public static IEnumerable<GemmShape> Shapes => GemmShape.Sd3Bench.Where(s => s.Name is "img.qkvo" or "img.ff1" or "img.ff2" or "txt.qkvo" or "adaln");

    [GlobalSetup]
    public void Setup()
    {
        x = new NativeBuffer((long)Shape.M * Shape.K, seed: 1);
        y = new NativeBuffer((long)Shape.M * Shape.N, seed: 3);
        using var w = new NativeBuffer((long)Shape.N * Shape.K, seed: 2);
        var stored = FloatFormats.Narrow(Storage, w.Span);
        packed = PackedLinearWeight.Create(new StoredTensor(Storage, stored, [Shape.N, Shape.K]), [], Shape.N, Shape.K);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        packed?.Dispose();
        x?.Dispose();
        y?.Dispose();
    }

    [Benchmark]
    public void CpuGemmLinear() => CpuGemm.Linear(x!.Pointer, Shape.M, packed!, y!.Pointer, GemmEpilogue.None);
}
