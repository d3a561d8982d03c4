using RasNative.Loaders;
using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Benchmarks;

/// <summary>
/// `cpu-time-gemm [formats…]`: CpuGemm.Linear with the weight held in each storage format, on the sd3-bench shapes,
/// timed by <see cref="CpuTime"/>, so ratios between formats (and between builds) can be read on a shared machine.
/// Output: one tab-separated line per shape and format with the best µs of CPU time and of wall time per call.
/// </summary>
public static unsafe class CpuTimeGemm
{
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
            var best = CpuTime.BestPerCall([.. weights.Select(weight => (Action)(() => CpuGemm.Linear(x.Pointer, shape.M, weight, y.Pointer, GemmEpilogue.None)))], shape.Flops);
            for (int f = 0; f < formats.Length; f++)
                Console.WriteLine($"{shape}\t{formats[f]}\t{best[f].CpuMicroseconds:F1}\t{best[f].WallMicroseconds:F1}");
            foreach (var weight in weights) weight.Dispose();
        }
    }
}
