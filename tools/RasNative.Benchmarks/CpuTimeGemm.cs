using System.Diagnostics;
using RasNative.Loaders;
using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Benchmarks;

/// <summary>
/// `cpu-time-gemm [formats…]`: CpuGemm.Linear with the weight held in each storage format, on the sd3-bench shapes,
/// timed by the CPU time the process consumes (both cores' work) rather than by wall time, in interleaved rounds
/// (every format once per round), best round kept. On the shared development machine other processes stretch
/// wall-clock medians by up to 2x between BenchmarkDotNet passes, while a GEMM's CPU time moves by a few percent,
/// so ratios between formats (and between builds) are read from this. Output: one tab-separated line per shape and
/// format with the best µs of CPU time and of wall time per call (each the minimum over the rounds).
/// </summary>
public static unsafe class CpuTimeGemm
{
    const int Rounds = 7;
    const double SecondsPerMeasurement = 0.2;

    public static void Run(string[] formatNames)
    {
        var formats = formatNames.Length == 0 ? [DType.F32, DType.BF16, DType.F16, DType.F8_E4M3, DType.F8_E5M2] : formatNames.Select(Enum.Parse<DType>).ToArray();
        Console.WriteLine("shape\tformat\tcpu_us_per_call\twall_us_per_call");
        foreach (var shape in GemmShape.Sd3Bench)
        {
            using var x = new NativeBuffer((long)shape.M * shape.K, seed: 1);
            using var y = new NativeBuffer((long)shape.M * shape.N, seed: 3);
            using var w = new NativeBuffer((long)shape.N * shape.K, seed: 2);
            var weights = formats.Select(f => PackedLinearWeight.Create(new StoredTensor(f, FloatFormats.Narrow(f, w.Span), [shape.N, shape.K]), [], shape.N, shape.K)).ToArray();
            var bestCpu = Enumerable.Repeat(double.MaxValue, formats.Length).ToArray();
            var bestWall = Enumerable.Repeat(double.MaxValue, formats.Length).ToArray();
            int calls = Math.Max(1, (int)(SecondsPerMeasurement / (shape.Flops / 50e9)));
            for (int round = 0; round <= Rounds; round++)
                for (int f = 0; f < formats.Length; f++)
                {
                    var before = Process.GetCurrentProcess().TotalProcessorTime;
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < calls; i++) CpuGemm.Linear(x.Pointer, shape.M, weights[f], y.Pointer, GemmEpilogue.None);
                    double wall = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
                    double cpu = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / calls;
                    if (round == 0) continue; // warm-up
                    bestCpu[f] = Math.Min(bestCpu[f], cpu);
                    bestWall[f] = Math.Min(bestWall[f], wall);
                }
            for (int f = 0; f < formats.Length; f++)
                Console.WriteLine($"{shape}\t{formats[f]}\t{bestCpu[f]:F1}\t{bestWall[f]:F1}");
            foreach (var weight in weights) weight.Dispose();
        }
    }
}
