using System.Text.Json;
using System.Text.Json.Nodes;

namespace RasNative.Loaders;

/// <summary>SD3Transformer2DModel config.json; defaults are diffusers' constructor defaults.</summary>
public sealed record Sd3TransformerConfig
{
    public const string ClassName = "SD3Transformer2DModel";

    public int SampleSize { get; init; } = 128;
    public int PatchSize { get; init; } = 2;
    public int InChannels { get; init; } = 16;

    /// <summary>diffusers uses InChannels when out_channels is absent or null.</summary>
    public int OutChannels { get; init; } = 16;

    public int NumLayers { get; init; } = 18;
    public int AttentionHeadDim { get; init; } = 64;
    public int NumAttentionHeads { get; init; } = 18;
    public int JointAttentionDim { get; init; } = 4096;
    public int CaptionProjectionDim { get; init; } = 1152;
    public int PooledProjectionDim { get; init; } = 2048;
    public int PosEmbedMaxSize { get; init; } = 96;

    /// <summary>null (SD3) or "rms_norm" (SD3.5).</summary>
    public string? QkNorm { get; init; }

    /// <summary>Blocks with the extra image-only attention (SD3.5 medium).</summary>
    public int[] DualAttentionLayers { get; init; } = [];

    public int InnerDim => NumAttentionHeads * AttentionHeadDim;

    /// <param name="source">Named in error messages (normally the config.json path).</param>
    public static Sd3TransformerConfig FromJson(JsonElement json, string source = "config.json")
    {
        var config = new ConfigReader(json, source);
        var defaults = new Sd3TransformerConfig();
        var inChannels = config.Int("in_channels", defaults.InChannels);
        return new Sd3TransformerConfig
        {
            SampleSize = config.Int("sample_size", defaults.SampleSize),
            PatchSize = config.Int("patch_size", defaults.PatchSize),
            InChannels = inChannels,
            OutChannels = config.Int("out_channels", inChannels),
            NumLayers = config.Int("num_layers", defaults.NumLayers),
            AttentionHeadDim = config.Int("attention_head_dim", defaults.AttentionHeadDim),
            NumAttentionHeads = config.Int("num_attention_heads", defaults.NumAttentionHeads),
            JointAttentionDim = config.Int("joint_attention_dim", defaults.JointAttentionDim),
            CaptionProjectionDim = config.Int("caption_projection_dim", defaults.CaptionProjectionDim),
            PooledProjectionDim = config.Int("pooled_projection_dim", defaults.PooledProjectionDim),
            PosEmbedMaxSize = config.Int("pos_embed_max_size", defaults.PosEmbedMaxSize),
            QkNorm = config.NullableString("qk_norm"),
            DualAttentionLayers = config.IntArray("dual_attention_layers"),
        };
    }

    /// <summary>The config as diffusers writes it (so a saved preset loads in diffusers and in RasNative).</summary>
    public JsonObject ToJsonObject() => new()
    {
        ["_class_name"] = ClassName,
        ["attention_head_dim"] = AttentionHeadDim,
        ["caption_projection_dim"] = CaptionProjectionDim,
        ["dual_attention_layers"] = new JsonArray([.. DualAttentionLayers.Select(i => (JsonNode?)i)]),
        ["in_channels"] = InChannels,
        ["joint_attention_dim"] = JointAttentionDim,
        ["num_attention_heads"] = NumAttentionHeads,
        ["num_layers"] = NumLayers,
        ["out_channels"] = OutChannels,
        ["patch_size"] = PatchSize,
        ["pooled_projection_dim"] = PooledProjectionDim,
        ["pos_embed_max_size"] = PosEmbedMaxSize,
        ["qk_norm"] = QkNorm,
        ["sample_size"] = SampleSize,
    };
}
