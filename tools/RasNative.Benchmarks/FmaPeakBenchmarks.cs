using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace RasNative.Benchmarks;

/// <summary>
/// The float32 FMA ceiling the kernels are judged against: independent 256-bit FMA chains (more than latency ×
/// pipes, so both FMA pipes stay busy) on 1 and on all cores. Its GFLOP/s column is the denominator of the
/// "% of peak" figures in docs/benchmarks.md.
/// </summary>
public class FmaPeakBenchmarks
{
    const int Iterations = 1 << 22;
    const int Chains = 12;

    [ParamsSource(nameof(ThreadCounts))]
    public FmaThreads Threads { get; set; } = null!;

    public static IEnumerable<FmaThreads> ThreadCounts => [new(1), new(Environment.ProcessorCount)];

    [Benchmark]
    public float Fma()
    {
        var sinks = new float[Threads.Count];
        Parallel.For(0, Threads.Count, new ParallelOptions { MaxDegreeOfParallelism = Threads.Count }, t => sinks[t] = Chain());
        return sinks.Sum();
    }

    public sealed record FmaThreads(int Count) : IFlopCount
    {
        public double Flops => (double)Count * Iterations * Chains * 2 * Vector256<float>.Count;

        public override string ToString() => $"{Count} thread{(Count == 1 ? "" : "s")}";
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Chain()
    {
        var m = Vector256.Create(0.999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0f), a1 = Vector256.Create(1f), a2 = Vector256.Create(2f), a3 = Vector256.Create(3f);
        Vector256<float> a4 = Vector256.Create(4f), a5 = Vector256.Create(5f), a6 = Vector256.Create(6f), a7 = Vector256.Create(7f);
        Vector256<float> a8 = Vector256.Create(8f), a9 = Vector256.Create(9f), a10 = Vector256.Create(10f), a11 = Vector256.Create(11f);
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }
}
