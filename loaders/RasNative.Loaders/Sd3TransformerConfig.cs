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
        var inChannels = config.Int("in_channels", defaults.InChannels, 1, MaxChannels);
        return new Sd3TransformerConfig
        {
            SampleSize = config.Int("sample_size", defaults.SampleSize, 1, MaxSize),
            PatchSize = config.Int("patch_size", defaults.PatchSize, 1, MaxPatch),
            InChannels = inChannels,
            OutChannels = config.Int("out_channels", inChannels, 1, MaxChannels),
            NumLayers = config.Int("num_layers", defaults.NumLayers, 1, MaxLayers),
            AttentionHeadDim = config.Int("attention_head_dim", defaults.AttentionHeadDim, 1, MaxWidth),
            NumAttentionHeads = config.Int("num_attention_heads", defaults.NumAttentionHeads, 1, MaxWidth),
            JointAttentionDim = config.Int("joint_attention_dim", defaults.JointAttentionDim, 1, MaxWidth),
            CaptionProjectionDim = config.Int("caption_projection_dim", defaults.CaptionProjectionDim, 1, MaxWidth),
            PooledProjectionDim = config.Int("pooled_projection_dim", defaults.PooledProjectionDim, 1, MaxWidth),
            PosEmbedMaxSize = config.Int("pos_embed_max_size", defaults.PosEmbedMaxSize, 1, MaxSize),
            QkNorm = config.NullableString("qk_norm"),
            DualAttentionLayers = config.IntArray("dual_attention_layers"),
        }.Validated(source);
    }

    // Bounds far above every released model that keep every size the model derives inside int arithmetic.
    const int MaxSize = 4096, MaxPatch = 64, MaxChannels = 4096, MaxLayers = 1024, MaxWidth = 65536;

    /// <summary>
    /// Checks what single keys cannot: the combined sizes, qk_norm's value, the dual-attention block ids. A config
    /// built another way (from a single file's shapes) goes through this too. Errors name the key.
    /// </summary>
    public Sd3TransformerConfig Validated(string source)
    {
        void Require(bool condition, string key, string message)
        {
            if (!condition) throw new ModelFolderException($"{source}: key '{key}' {message}");
        }
        Require(InnerDim <= MaxWidth, "num_attention_heads", $"× attention_head_dim = {(long)NumAttentionHeads * AttentionHeadDim} exceeds {MaxWidth}");
        Require((long)PosEmbedMaxSize * PosEmbedMaxSize * InnerDim <= int.MaxValue, "pos_embed_max_size",
            $"{PosEmbedMaxSize}: the {PosEmbedMaxSize}² × {InnerDim} position table exceeds {int.MaxValue} values");
        Require((long)InChannels * PatchSize * PatchSize <= MaxWidth && (long)OutChannels * PatchSize * PatchSize <= MaxWidth, "patch_size",
            $"{PatchSize}: channels × patch² exceeds {MaxWidth}");
        Require(QkNorm is null or "rms_norm", "qk_norm", $"'{QkNorm}' is not supported (expected null or \"rms_norm\")");
        foreach (var layer in DualAttentionLayers)
            Require(layer >= 0 && layer < NumLayers, "dual_attention_layers", $"names block {layer}, outside 0..{NumLayers - 1}");
        return this;
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
