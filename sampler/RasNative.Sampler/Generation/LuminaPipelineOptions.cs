namespace RasNative.Sampler.Generation;

/// <summary>
/// LuminaText2ImgPipeline's own arguments: <paramref name="ScalingWatershed"/> picks linear (model timestep below
/// it) or NTK RoPE scaling per step, 1.0 meaning always linear; <paramref name="ProportionalAttention"/> passes
/// base_sequence_length = (sample_size·8/16)² so self-attention's scale grows with the token count.
/// </summary>
public sealed record LuminaPipelineOptions(double ScalingWatershed = 1.0, bool ProportionalAttention = true)
{
    public static LuminaPipelineOptions Default { get; } = new();
}
