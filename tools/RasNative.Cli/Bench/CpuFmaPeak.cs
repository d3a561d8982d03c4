using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Cli.Bench;

/// <summary>
/// This machine's float32 FMA ceiling at the vector width the CPU kernels actually run with
/// (<see cref="SimdKinds.Best"/>), measured rather than looked up (CPU models vary): independent FMA chains,
/// more than latency × pipes so every FMA pipe stays busy. The denominator of bench's "% of peak": measured at
/// 256 bits on an AVX-512 machine whose kernels use 512-bit vectors it would be half the truth.
/// (Linked into RasNative.Benchmarks too, so both report against the same probe.)
/// </summary>
public static class CpuFmaPeak
{
    const int ChainCount = 12;

    /// <summary>Bits per vector of the width the kernels use.</summary>
    public static int VectorBits => SimdKinds.Lanes(SimdKinds.Best) * 32;

    /// <summary>FLOPs one <see cref="Run"/> of <paramref name="iterations"/> performs.</summary>
    public static double FlopsPerRun(long iterations) => (double)iterations * ChainCount * 2 * SimdKinds.Lanes(SimdKinds.Best);

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

    /// <summary>One thread's FMA chains at the kernels' width; the result only keeps the work from being optimised away.</summary>
    public static float Run(long iterations) => SimdKinds.Best switch
    {
        SimdKind.Vector512 => Chains<Simd512, Vector512<float>>(iterations),
        SimdKind.Vector256 => Chains<Simd256, Vector256<float>>(iterations),
        _ => Chains<Simd128, Vector128<float>>(iterations),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Chains<TSimd, TV>(long iterations) where TSimd : ISimd<TV> where TV : unmanaged
    {
        var m = TSimd.Create(0.999999f);
        var c = TSimd.Create(1e-7f);
        TV a0 = TSimd.Create(0f), a1 = TSimd.Create(1f), a2 = TSimd.Create(2f), a3 = TSimd.Create(3f);
        TV a4 = TSimd.Create(4f), a5 = TSimd.Create(5f), a6 = TSimd.Create(6f), a7 = TSimd.Create(7f);
        TV a8 = TSimd.Create(8f), a9 = TSimd.Create(9f), a10 = TSimd.Create(10f), a11 = TSimd.Create(11f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = TSimd.MultiplyAdd(a0, m, c); a1 = TSimd.MultiplyAdd(a1, m, c);
            a2 = TSimd.MultiplyAdd(a2, m, c); a3 = TSimd.MultiplyAdd(a3, m, c);
            a4 = TSimd.MultiplyAdd(a4, m, c); a5 = TSimd.MultiplyAdd(a5, m, c);
            a6 = TSimd.MultiplyAdd(a6, m, c); a7 = TSimd.MultiplyAdd(a7, m, c);
            a8 = TSimd.MultiplyAdd(a8, m, c); a9 = TSimd.MultiplyAdd(a9, m, c);
            a10 = TSimd.MultiplyAdd(a10, m, c); a11 = TSimd.MultiplyAdd(a11, m, c);
        }
        var sum = TSimd.Add(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3)), TSimd.Add(TSimd.Add(a4, a5), TSimd.Add(a6, a7)));
        sum = TSimd.Add(sum, TSimd.Add(TSimd.Add(a8, a9), TSimd.Add(a10, a11)));
        return System.Runtime.InteropServices.MemoryMarshal.Cast<TV, float>(new Span<TV>(ref sum))[0];
    }
}
