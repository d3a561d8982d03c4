using System.Text.Json.Serialization;
using RasNative.Cuda;

namespace RasNative.Cli.Bench;

/// <summary>Device-work counts of one pass (CUDA backend): the totals and the counts inside each block's range.</summary>
public sealed record CounterReport
{
    [JsonPropertyName("launches")] public required long Launches { get; init; }
    [JsonPropertyName("blas_calls")] public required long BlasCalls { get; init; }
    [JsonPropertyName("copies")] public required long Copies { get; init; }
    [JsonPropertyName("syncs")] public required long Syncs { get; init; }
    [JsonPropertyName("allocations")] public required long Allocations { get; init; }
    [JsonPropertyName("peak_device_bytes")] public required long PeakDeviceBytes { get; init; }

    /// <summary>transformer_blocks.{i} (SD3) or layers.{i} (Lumina) → the counts inside it, in block order.</summary>
    [JsonPropertyName("per_block")] public required Dictionary<string, BlockCounts> PerBlock { get; init; }

    public static CounterReport From(CudaCounterSnapshot snapshot) => new()
    {
        Launches = snapshot.Totals.Launches,
        BlasCalls = snapshot.Totals.BlasCalls,
        Copies = snapshot.Totals.Copies,
        Syncs = snapshot.Totals.Syncs,
        Allocations = snapshot.Totals.Allocations,
        PeakDeviceBytes = snapshot.Totals.PeakDeviceBytes,
        PerBlock = snapshot.Blocks.ToDictionary(b => b.Key, b => new BlockCounts(b.Value)),
    };
}

public sealed record BlockCounts([property: JsonIgnore] CudaCounts Counts)
{
    [JsonPropertyName("launches")] public long Launches => Counts.Launches;
    [JsonPropertyName("blas_calls")] public long BlasCalls => Counts.BlasCalls;
    [JsonPropertyName("copies")] public long Copies => Counts.Copies;
    [JsonPropertyName("syncs")] public long Syncs => Counts.Syncs;
    [JsonPropertyName("allocations")] public long Allocations => Counts.Allocations;
}
