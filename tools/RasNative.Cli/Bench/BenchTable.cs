using Spectre.Console;

namespace RasNative.Cli.Bench;

/// <summary>The human-readable bench report.</summary>
public static class BenchTable
{
    public static void Print(BenchReport r)
    {
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("model", Markup.Escape(r.Model));
        table.AddRow("backend", r.Backend);
        string run = r.ImagePixels == null ? "forward" : "decode";
        table.AddRow("shape", r.ImagePixels is { } image
            ? $"batch {r.Batch}, latent {r.Latent[2]}x{r.Latent[3]} → {image[1]}x{image[0]} pixels"
            : r.Latent.Length == 4
                ? $"batch {r.Batch}, latent {r.Latent[2]}x{r.Latent[3]}, {r.ImageTokens} image + {r.TextTokens} text tokens"
                : $"batch {r.Batch}, {r.TextTokens} tokens");
        table.AddRow($"{run} median / min / max", $"{r.MedianMs:F1} / {r.MinMs:F1} / {r.MaxMs:F1} ms ({r.Repeat} runs)");
        table.AddRow("work", $"{r.GflopPerForward:F2} GFLOP per {run}");
        table.AddRow("speed", r.PercentOfPeak is { } percent
            ? $"{r.Gflops:F1} GFLOP/s = {percent:F1}% of the {r.PeakGflops:F0} GFLOP/s {Markup.Escape(r.PeakBasis ?? "")}"
            : $"{r.Gflops:F1} GFLOP/s");
        foreach (var (op, ms) in r.OpMs)
            table.AddRow($"  {op}", r.OpGflops.TryGetValue(op, out var rate)
                ? $"{ms:F1} ms, {rate:F1} GFLOP/s{(r.PeakGflops is { } peak ? $" ({100 * rate / peak:F1}% of peak)" : "")}"
                : $"{ms:F1} ms");
        table.AddRow("peak memory", $"{r.PeakMemoryMib:F0} MiB");
        table.AddRow("weights", $"{r.WeightsMib:F1} MiB ({Markup.Escape(r.WeightDType)})");
        if (r.Ras is { } ras)
        {
            table.AddRow($"sampling, {ras.Steps} steps", $"dense {ras.DenseRunMs:F0} ms, RAS (ratio {ras.Ratio}) {ras.RasRunMs:F0} ms: {ras.Speedup:F2}x");
            table.AddRow("  per step", $"dense {Ms(ras.DenseStepMs)}, RAS step {Ms(ras.RasStepMs)}");
            table.AddRow("  tokens computed", $"{100 * ras.TokenFraction:F1}% of dense");
            table.AddRow("  RAS bookkeeping + sampler", $"{ras.SamplerMs:F1} ms over the run");
        }
        if (r.Counters is { } forward) AddCounters(table, "device work per forward", forward);
        if (r.RasStepCounters is { } step) AddCounters(table, "device work per RAS step", step);
        AnsiConsole.Write(table);
    }

    static void AddCounters(Table table, string title, CounterReport c)
    {
        table.AddRow(title, $"{c.Launches} launches, {c.BlasCalls} cuBLAS calls, {c.Copies} copies, {c.Syncs} syncs, {c.Allocations} allocations");
        table.AddRow("  peak device memory", $"{c.PeakDeviceBytes / 1048576.0:F1} MiB");
        foreach (var group in c.PerBlock.GroupBy(b => b.Value.Counts).OrderBy(g => g.First().Key, StringComparer.Ordinal))
            table.AddRow($"  {Markup.Escape(string.Join(", ", group.Select(b => b.Key)))}",
                $"{group.Key.Launches} launches, {group.Key.BlasCalls} cuBLAS calls, {group.Key.Copies} copies, {group.Key.Syncs} syncs, {group.Key.Allocations} allocations");
    }

    static string Ms(double? value) => value is { } ms ? $"{ms:F1} ms" : "none";
}
