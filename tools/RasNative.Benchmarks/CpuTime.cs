using System.Diagnostics;

namespace RasNative.Benchmarks;

/// <summary>
/// The CPU-time measurement the cpu-time-* modes share: every variant once per round, interleaved, a warm-up round
/// first, the best of <see cref="Rounds"/> rounds kept, as µs of process CPU time (all cores' work) and of wall time
/// per call. On the shared development machine other processes stretch wall-clock medians by up to 2x between
/// BenchmarkDotNet passes, while a kernel's CPU time moves by a few percent, so ratios are read from this.
/// </summary>
internal static class CpuTime
{
    const int Rounds = 7;
    const double SecondsPerMeasurement = 0.2;

    /// <param name="flops">Work of one call, to size the calls per measurement (about 0.2 s at 50 GFLOP/s).</param>
    public static (double CpuMicroseconds, double WallMicroseconds)[] BestPerCall(IReadOnlyList<Action> variants, double flops)
    {
        int calls = Math.Max(1, (int)(SecondsPerMeasurement / (flops / 50e9)));
        var best = Enumerable.Repeat((double.MaxValue, double.MaxValue), variants.Count).ToArray();
        for (int round = 0; round <= Rounds; round++)
            for (int v = 0; v < variants.Count; v++)
            {
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++) variants[v]();
                double wall = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / calls;
                if (round == 0) continue; // warm-up
                best[v] = (Math.Min(best[v].Item1, cpu), Math.Min(best[v].Item2, wall));
            }
        return best;
    }
}
