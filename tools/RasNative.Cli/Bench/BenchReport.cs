using System.Text.Json.Serialization;

namespace RasNative.Cli.Bench;

/// <summary>What one bench run measured; serialised as is for --json.</summary>
public sealed record BenchReport
{
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("backend")] public required string Backend { get; init; }
    [JsonPropertyName("batch")] public required int Batch { get; init; }
    [JsonPropertyName("latent")] public required int[] Latent { get; init; }
    [JsonPropertyName("image_tokens")] public required int ImageTokens { get; init; }
    [JsonPropertyName("text_tokens")] public required int TextTokens { get; init; }
    [JsonPropertyName("repeat")] public required int Repeat { get; init; }
    [JsonPropertyName("median_ms")] public required double MedianMs { get; init; }
    [JsonPropertyName("min_ms")] public required double MinMs { get; init; }
    [JsonPropertyName("max_ms")] public required double MaxMs { get; init; }
    [JsonPropertyName("gflop_per_forward")] public required double GflopPerForward { get; init; }
    [JsonPropertyName("gflops")] public required double Gflops { get; init; }
    [JsonPropertyName("peak_gflops")] public required double? PeakGflops { get; init; }   // null: no peak for this device yet
    [JsonPropertyName("peak_basis")] public required string? PeakBasis { get; init; }   // what the peak is: the CPU's FMA peak at the kernels' width, or the GPU's for the dtype
    [JsonPropertyName("percent_of_peak")] public required double? PercentOfPeak { get; init; }
    [JsonPropertyName("op_ms")] public required Dictionary<string, double> OpMs { get; init; }
    [JsonPropertyName("op_gflops")] public required Dictionary<string, double> OpGflops { get; init; }   // GEMM and attention FLOPs over their own time
    [JsonPropertyName("peak_memory_mib")] public required double PeakMemoryMib { get; init; }
    [JsonPropertyName("weights_mib")] public required double WeightsMib { get; init; }
    [JsonPropertyName("weight_dtype")] public required string WeightDType { get; init; }   // a random preset's storage, or "checkpoint"
    [JsonPropertyName("ras")] public RasBenchReport? Ras { get; init; }

    /// <summary>CUDA: the device work of one steady-state dense forward (after one of the same shape), unprofiled.</summary>
    [JsonPropertyName("counters")] public CounterReport? Counters { get; init; }

    /// <summary>CUDA with --steps: one RAS update step that follows one with the same active count, unprofiled.</summary>
    [JsonPropertyName("ras_step_counters")] public CounterReport? RasStepCounters { get; init; }
    [JsonPropertyName("image_pixels")] public int[]? ImagePixels { get; init; }   // VAE decodes: [height, width] of each image
}

/// <summary>Dense and RAS sampling runs side by side (guidance batch 2).</summary>
public sealed record RasBenchReport
{
    [JsonPropertyName("steps")] public required int Steps { get; init; }
    [JsonPropertyName("ratio")] public required double Ratio { get; init; }
    [JsonPropertyName("dense_step_ms")] public required double? DenseStepMs { get; init; }   // null when every step ran RAS
    [JsonPropertyName("ras_step_ms")] public required double? RasStepMs { get; init; }   // null when no step ran RAS
    [JsonPropertyName("dense_run_ms")] public required double DenseRunMs { get; init; }
    [JsonPropertyName("ras_run_ms")] public required double RasRunMs { get; init; }
    [JsonPropertyName("speedup")] public required double Speedup { get; init; }
    [JsonPropertyName("token_fraction")] public required double TokenFraction { get; init; }
    [JsonPropertyName("sampler_ms")] public required double SamplerMs { get; init; }
}
