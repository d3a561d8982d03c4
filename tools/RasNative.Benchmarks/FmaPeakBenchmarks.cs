using BenchmarkDotNet.Attributes;
using RasNative.Cli.Bench;

namespace RasNative.Benchmarks;

/// <summary>
/// The float32 FMA ceiling the kernels are judged against (<see cref="CpuFmaPeak"/>) on 1 and on all cores. Its GFLOP/s column is the denominator of the
/// "% of peak" figures in docs/benchmarks.md.
/// </summary>
public class FmaPeakBenchmarks
{
    const int Iterations = 1 << 22;

    [ParamsSource(nameof(ThreadCounts))]
    public FmaThreads Threads { get; set; } = null!;

    public static IEnumerable<FmaThreads> ThreadCounts => [new(1), new(Environment.ProcessorCount)];

    [Benchmark]
    public float Fma()
    {
        var sinks = new float[Threads.Count];
        Parallel.For(0, Threads.Count, new ParallelOptions { MaxDegreeOfParallelism = Threads.Count }, t => sinks[t] = CpuFmaPeak.Run(Iterations));
        return sinks.Sum();
    }

    public sealed record FmaThreads(int Count) : IFlopCount
    {
        public double Flops => Count * CpuFmaPeak.FlopsPerRun(Iterations);

        public override string ToString() => $"{Count} thread{(Count == 1 ? "" : "s")}";
    }
}
