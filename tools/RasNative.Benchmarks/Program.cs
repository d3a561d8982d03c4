using BenchmarkDotNet.Running;

namespace RasNative.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tools/RasNative.Benchmarks -- --filter '*' [--job short]
/// The switcher takes BenchmarkDotNet's own arguments, so one class or method can be picked with --filter.
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
}
