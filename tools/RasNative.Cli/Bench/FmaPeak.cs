using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace RasNative.Cli.Bench;

/// <summary>
/// This machine's float32 FMA peak, measured rather than looked up (CPU models vary): every core runs
/// independent FMA chains on the widest vectors for a short while.
/// </summary>
public static class FmaPeak
{
    const int Chains = 10;
    const long Iterations = 20_000_000;

    public static double MeasureGflops()
    {
        int threads = Environment.ProcessorCount;
        double best = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var sinks = new float[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sinks[t] = Run());
            double seconds = clock.Elapsed.TotalSeconds;
            double flops = threads * Iterations * Chains * 2.0 * Vector256<float>.Count;
            best = Math.Max(best, flops / seconds / 1e9);
            GC.KeepAlive(sinks);
        }
        return best;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static float Run()
    {
        var m = Vector256.Create(0.999999f);
        var add = Vector256.Create(1e-7f);
        var (a0, a1, a2, a3, a4) = (Vector256.Create(0f), Vector256.Create(1f), Vector256.Create(2f), Vector256.Create(3f), Vector256.Create(4f));
        var (a5, a6, a7, a8, a9) = (Vector256.Create(5f), Vector256.Create(6f), Vector256.Create(7f), Vector256.Create(8f), Vector256.Create(9f));
        for (long i = 0; i < Iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, add); a1 = Vector256.FusedMultiplyAdd(a1, m, add);
            a2 = Vector256.FusedMultiplyAdd(a2, m, add); a3 = Vector256.FusedMultiplyAdd(a3, m, add);
            a4 = Vector256.FusedMultiplyAdd(a4, m, add); a5 = Vector256.FusedMultiplyAdd(a5, m, add);
            a6 = Vector256.FusedMultiplyAdd(a6, m, add); a7 = Vector256.FusedMultiplyAdd(a7, m, add);
            a8 = Vector256.FusedMultiplyAdd(a8, m, add); a9 = Vector256.FusedMultiplyAdd(a9, m, add);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
    }
}
