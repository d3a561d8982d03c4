using BenchmarkDotNet.Attributes;
using RasNative.Loaders;
using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Benchmarks;

/// <summary>
/// CpuGemm.Linear on a pre-packed weight (as the CPU backend holds it) against OpenBLAS sgemm on the same
/// operands; the Ratio column is each method's time over CpuGemm's (baseline = 1).
/// No bias and no activation, so both do exactly M·N·K multiply-adds.
/// </summary>
public unsafe class GemmBenchmarks
{
    NativeBuffer? x, w, y;
    PackedLinearWeight? packed;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    public static IEnumerable<GemmShape> Shapes => GemmShape.Sd3Bench;

    [GlobalSetup]
    public void Setup()
    {
        x = new NativeBuffer((long)Shape.M * Shape.K, seed: 1);
        w = new NativeBuffer((long)Shape.N * Shape.K, seed: 2);
        y = new NativeBuffer((long)Shape.M * Shape.N, seed: 3);
        packed = PackedLinearWeight.Create(StoredTensor.F32(w.Span, Shape.N, Shape.K), [], Shape.N, Shape.K);
        OpenBlas.UseThreads(Environment.ProcessorCount);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        packed?.Dispose();
        x?.Dispose();
        w?.Dispose();
        y?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void CpuGemmLinear() => CpuGemm.Linear(x!.Pointer, Shape.M, packed!, y!.Pointer, GemmEpilogue.None);

    [Benchmark]
    public void OpenBlasSgemm() => OpenBlas.Linear(x!.Pointer, Shape.M, w!.Pointer, Shape.N, Shape.K, y!.Pointer);
}
