using BenchmarkDotNet.Configs;

namespace RasNative.Benchmarks;

/// <summary>The default config plus a GFLOP/s column; the job (e.g. --job short) comes from the command line.</summary>
public static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance.AddColumn(new GflopsColumn());
}
