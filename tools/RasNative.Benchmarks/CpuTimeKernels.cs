using RasNative.Loaders;
using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Benchmarks;

/// <summary>
/// `cpu-time-kernels`: the float32 GEMM and the joint attention of the sd3-bench shapes at every vector width
/// (Vector128 / Vector256 / Vector512, whichever the CPU runs; an unaccelerated width is emulated and slow), timed
/// by <see cref="CpuTime"/>, for comparing builds of the SIMD layer. Output: one tab-separated line per kernel,
/// shape and width with the best µs of CPU time and of wall time per call and the GFLOP/s of the CPU time.
/// </summary>
public static unsafe class CpuTimeKernels
{
    const int B = Sd3BenchShape.Batch, D = Sd3BenchShape.Width;

    public static void Run()
    {
        var kinds = Enum.GetValues<SimdKind>().Where(k => SimdKinds.Lanes(k) <= SimdKinds.Lanes(SimdKinds.Best)).ToArray();
        Console.WriteLine("kernel\tshape\twidth\tcpu_us_per_call\twall_us_per_call\tgflops_per_cpu_second");
        foreach (var shape in GemmShape.Sd3Bench)
        {
            using var x = new NativeBuffer((long)shape.M * shape.K, seed: 1);
            using var y = new NativeBuffer((long)shape.M * shape.N, seed: 3);
            using var w = new NativeBuffer((long)shape.N * shape.K, seed: 2);
            var weights = kinds.Select(k => PackedLinearWeight.Create(StoredTensor.F32(w.Span, shape.N, shape.K), [], shape.N, shape.K, k)).ToArray();
            Report("gemm", shape, kinds, CpuTime.BestPerCall([.. weights.Select(weight => (Action)(() => CpuGemm.Linear(x.Pointer, shape.M, weight, y.Pointer, GemmEpilogue.None)))], shape.Flops));
            foreach (var weight in weights) weight.Dispose();
        }
        foreach (var shape in AttentionShape.Sd3Bench)
        {
            using var q1 = Tokens(shape.ImageQueries, 10);
            using var q2 = Tokens(AttentionShape.TextTokens, 11);
            using var k1 = Tokens(shape.ImageKeys, 12);
            using var k2 = Tokens(AttentionShape.TextTokens, 13);
            using var v1 = Tokens(shape.ImageKeys, 14);
            using var v2 = Tokens(AttentionShape.TextTokens, 15);
            using var o1 = Tokens(shape.ImageQueries, 16);
            using var o2 = Tokens(AttentionShape.TextTokens, 17);
            void Attend(SimdKind kind)
            {
                var problem = new AttentionProblem
                {
                    Batch = B, Heads = Sd3BenchShape.Heads, KvHeads = Sd3BenchShape.Heads, HeadDim = Sd3BenchShape.HeadDim,
                    Scale = 1f / MathF.Sqrt(Sd3BenchShape.HeadDim),
                    Q1 = Segment(q1, shape.ImageQueries), Q2 = Segment(q2, AttentionShape.TextTokens),
                    K1 = Segment(k1, shape.ImageKeys), K2 = Segment(k2, AttentionShape.TextTokens),
                    V1 = Segment(v1, shape.ImageKeys), V2 = Segment(v2, AttentionShape.TextTokens),
                    O1 = Segment(o1, shape.ImageQueries), O2 = Segment(o2, AttentionShape.TextTokens),
                };
                CpuAttention.Run(problem, kind);
            }
            Report("attention", shape, kinds, CpuTime.BestPerCall([.. kinds.Select(kind => (Action)(() => Attend(kind)))], shape.Flops));
        }
    }

    static NativeBuffer Tokens(int rows, int seed) => new((long)B * rows * D, seed);

    static AttentionSegment Segment(NativeBuffer buffer, int rows) => new(buffer.Pointer, rows, (long)rows * D, D);

    static void Report(string kernel, IFlopCount shape, SimdKind[] kinds, (double Cpu, double Wall)[] best)
    {
        for (int k = 0; k < kinds.Length; k++)
            Console.WriteLine($"{kernel}\t{shape}\t{kinds[k]}\t{best[k].Cpu:F1}\t{best[k].Wall:F1}\t{shape.Flops / best[k].Cpu / 1e3:F1}");
    }
}
