using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RasNative.Runtime.Cpu;

/// <summary>
/// This machine's float32 FMA ceiling, measured rather than looked up (CPU models vary): independent 256-bit
/// FMA chains, more than latency × pipes so both FMA pipes stay busy. The denominator of bench's "% of peak".
/// </summary>
public static class CpuFmaPeak
{
    const int Chains = 12;

    /// <summary>FLOPs one <see cref="Run"/> of <paramref name="iterations"/> performs.</summary>
    public static double FlopsPerRun(long iterations) => (double)iterations * Chains * 2 * Vector256<float>.Count;

    /// <summary>Best of three: every core runs <see cref="Run"/> at once.</summary>
    public static double MeasureGflops(long iterations = 20_000_000)
    {
        int threads = Environment.ProcessorCount;
        double best = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var sinks = new float[threads];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sinks[t] = Run(iterations));
            best = Math.Max(best, threads * FlopsPerRun(iterations) / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>One thread's FMA chains; the result only keeps the work from being optimised away.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Run(long iterations)
    {
        var m = Vector256.Create(0.999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0f), a1 = Vector256.Create(1f), a2 = Vector256.Create(2f), a3 = Vector256.Create(3f);
        Vector256<float> a4 = Vector256.Create(4f), a5 = Vector256.Create(5f), a6 = Vector256.Create(6f), a7 = Vector256.Create(7f);
        Vector256<float> a8 = Vector256.Create(8f), a9 = Vector256.Create(9f), a10 = Vector256.Create(10f), a11 = Vector256.Create(11f);
        for (long i = 0; i < iterations; i++)
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
