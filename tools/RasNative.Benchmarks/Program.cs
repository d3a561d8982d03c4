using BenchmarkDotNet.Running;

namespace RasNative.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tools/RasNative.Benchmarks -- --filter '*' [--job short]
/// The switcher takes BenchmarkDotNet's own arguments, so one class or method can be picked with --filter.
/// `-- cpu-time-gemm [F32 BF16 …]` runs <see cref="CpuTimeGemm"/> instead, `-- cpu-time-kernels` <see cref="CpuTimeKernels"/>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "cpu-time-gemm")
            CpuTimeGemm.Run(args[1..]);
        else if (args.Length > 0 && args[0] == "cpu-time-kernels")
            CpuTimeKernels.Run();
        else
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
    }
}
