using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;

namespace RasNative.Benchmarks;

/// <summary>
/// The default config plus median and GFLOP/s columns (the median resists other work on a shared machine better
/// than the mean), with parameter columns wide enough for the shape names (the default 20 characters cuts
/// "img.ff2[2048x384x1536]"); the job (e.g. --job short) comes from the command line.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddColumn(StatisticColumn.Median, new GflopsColumn())
        .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(32));
}
