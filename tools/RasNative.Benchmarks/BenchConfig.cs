using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;

namespace RasNative.Benchmarks;

/// <summary>
/// The default config plus a GFLOP/s column, with parameter columns wide enough for the shape names (the default
/// 20 characters cuts "img.ff2[2048x384x1536]"); the job (e.g. --job short) comes from the command line.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddColumn(new GflopsColumn())
        .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(32));
}
