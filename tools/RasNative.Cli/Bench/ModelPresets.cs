using RasNative.Loaders;

namespace RasNative.Cli.Bench;

/// <summary>
/// Published SD3 transformer configs (diffusers' config.json values) for `bench --model random:NAME`, so speed
/// can be measured with random weights and no checkpoint.
/// </summary>
public static class ModelPresets
{
    public const string Prefix = "random:";

    static readonly Dictionary<string, Sd3TransformerConfig> Presets = new()
    {
        ["sd3-medium"] = new() { SampleSize = 128, InChannels = 16, OutChannels = 16, NumLayers = 24, AttentionHeadDim = 64, NumAttentionHeads = 24,
            JointAttentionDim = 4096, CaptionProjectionDim = 1536, PooledProjectionDim = 2048, PosEmbedMaxSize = 192 },
        ["sd35-medium"] = new() { SampleSize = 128, InChannels = 16, OutChannels = 16, NumLayers = 24, AttentionHeadDim = 64, NumAttentionHeads = 24,
            JointAttentionDim = 4096, CaptionProjectionDim = 1536, PooledProjectionDim = 2048, PosEmbedMaxSize = 384,
            QkNorm = "rms_norm", DualAttentionLayers = [.. Enumerable.Range(0, 13)] },
        ["sd35-large"] = new() { SampleSize = 128, InChannels = 16, OutChannels = 16, NumLayers = 38, AttentionHeadDim = 64, NumAttentionHeads = 38,
            JointAttentionDim = 4096, CaptionProjectionDim = 2432, PooledProjectionDim = 2048, PosEmbedMaxSize = 192, QkNorm = "rms_norm" },
        // The shape the CPU speed target is stated for: 4 blocks of 6 heads × 64, a 64×64 latent (512 px).
        ["sd3-bench"] = new() { SampleSize = 64, InChannels = 16, OutChannels = 16, NumLayers = 4, AttentionHeadDim = 64, NumAttentionHeads = 6,
            JointAttentionDim = 512, CaptionProjectionDim = 384, PooledProjectionDim = 256, PosEmbedMaxSize = 64 },
        ["sd3-tiny"] = new() { SampleSize = 16, InChannels = 4, OutChannels = 4, NumLayers = 3, AttentionHeadDim = 8, NumAttentionHeads = 4,
            JointAttentionDim = 32, CaptionProjectionDim = 32, PooledProjectionDim = 64, PosEmbedMaxSize = 32 },
    };

    public static IEnumerable<string> Names => Presets.Keys;

    public static bool IsPreset(string model) => model.StartsWith(Prefix, StringComparison.Ordinal);

    public static Sd3TransformerConfig Get(string model)
    {
        string name = model[Prefix.Length..];
        return Presets.TryGetValue(name, out var config)
            ? config
            : throw new Infrastructure.UsageException($"--model {model}: unknown preset (known: {string.Join(", ", Presets.Keys.Select(k => Prefix + k))})");
    }

    /// <summary>The config as diffusers writes it, so a saved preset loads in diffusers and in RasNative.</summary>
    public static string ToConfigJson(Sd3TransformerConfig c) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["_class_name"] = "SD3Transformer2DModel",
        ["sample_size"] = c.SampleSize, ["patch_size"] = c.PatchSize, ["in_channels"] = c.InChannels, ["out_channels"] = c.OutChannels,
        ["num_layers"] = c.NumLayers, ["attention_head_dim"] = c.AttentionHeadDim, ["num_attention_heads"] = c.NumAttentionHeads,
        ["joint_attention_dim"] = c.JointAttentionDim, ["caption_projection_dim"] = c.CaptionProjectionDim,
        ["pooled_projection_dim"] = c.PooledProjectionDim, ["pos_embed_max_size"] = c.PosEmbedMaxSize,
        ["qk_norm"] = c.QkNorm, ["dual_attention_layers"] = c.DualAttentionLayers,
    }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
