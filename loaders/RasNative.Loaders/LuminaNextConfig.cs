using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>LuminaNextDiT2DModel config.json; defaults are diffusers' constructor defaults.</summary>
public sealed record LuminaNextConfig
{
    public int SampleSize { get; init; } = 128;
    public int PatchSize { get; init; } = 2;
    public int InChannels { get; init; } = 4;
    public int HiddenSize { get; init; } = 2304;
    public int NumLayers { get; init; } = 32;
    public int NumAttentionHeads { get; init; } = 32;

    /// <summary>As in the config; null (diffusers' default) means one KV head per attention head, see <see cref="KvHeads"/>.</summary>
    public int? NumKvHeads { get; init; }

    public int MultipleOf { get; init; } = 256;
    public float? FfnDimMultiplier { get; init; }
    public float NormEps { get; init; } = 1e-5f;
    public bool LearnSigma { get; init; } = true;
    public bool QkNorm { get; init; } = true;
    public int CrossAttentionDim { get; init; } = 2048;
    public float ScalingFactor { get; init; } = 1.0f;

    /// <summary>Key/value heads actually used (diffusers' Attention treats kv_heads=None as all heads).</summary>
    public int KvHeads => NumKvHeads ?? NumAttentionHeads;

    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>learn_sigma doubles the output channels (the pipeline keeps the first half).</summary>
    public int OutChannels => LearnSigma ? InChannels * 2 : InChannels;

    /// <param name="source">Named in error messages (normally the config.json path).</param>
    public static LuminaNextConfig FromJson(JsonElement json, string source = "config.json")
    {
        var config = new ConfigReader(json, source);
        var defaults = new LuminaNextConfig();
        return new LuminaNextConfig
        {
            SampleSize = config.Int("sample_size", defaults.SampleSize, 1, MaxSize),
            PatchSize = config.Int("patch_size", defaults.PatchSize, 1, MaxPatch),
            InChannels = config.Int("in_channels", defaults.InChannels, 1, MaxChannels),
            HiddenSize = config.Int("hidden_size", defaults.HiddenSize, 1, MaxWidth),
            NumLayers = config.Int("num_layers", defaults.NumLayers, 1, MaxLayers),
            NumAttentionHeads = config.Int("num_attention_heads", defaults.NumAttentionHeads, 1, MaxWidth),
            NumKvHeads = config.NullableInt("num_kv_heads"),
            MultipleOf = config.Int("multiple_of", defaults.MultipleOf, 1, MaxWidth),
            FfnDimMultiplier = config.NullableDouble("ffn_dim_multiplier") is null ? null : (float)config.Double("ffn_dim_multiplier", 1, 1e-3, 64),
            NormEps = (float)config.Double("norm_eps", defaults.NormEps, 1e-30, 1),
            LearnSigma = config.Bool("learn_sigma", defaults.LearnSigma),
            QkNorm = config.Bool("qk_norm", defaults.QkNorm),
            CrossAttentionDim = config.Int("cross_attention_dim", defaults.CrossAttentionDim, 1, MaxWidth),
            ScalingFactor = (float)config.Double("scaling_factor", defaults.ScalingFactor, 1e-6, 1e6),
        }.Validated(source);
    }

    // Bounds far above every released model that keep every size the model derives inside int arithmetic.
    const int MaxSize = 4096, MaxPatch = 64, MaxChannels = 4096, MaxLayers = 1024, MaxWidth = 65536;

    /// <summary>Checks what single keys cannot (head split, KV grouping, RoPE pairs); errors name the key.</summary>
    public LuminaNextConfig Validated(string source)
    {
        void Require(bool condition, string key, string message)
        {
            if (!condition) throw new ModelFolderException($"{source}: key '{key}' {message}");
        }
        Require(HiddenSize % NumAttentionHeads == 0, "num_attention_heads", $"{NumAttentionHeads} does not divide hidden_size {HiddenSize}");
        Require(HeadDim % 2 == 0, "hidden_size", $"{HiddenSize} / {NumAttentionHeads} heads gives head dim {HeadDim}; RoPE needs an even one");
        Require(KvHeads >= 1 && KvHeads <= NumAttentionHeads && NumAttentionHeads % KvHeads == 0, "num_kv_heads",
            $"{KvHeads} must divide num_attention_heads {NumAttentionHeads}");
        Require((long)InChannels * PatchSize * PatchSize * 2 <= MaxWidth, "patch_size", $"{PatchSize}: channels × patch² exceeds {MaxWidth}");
        return this;
    }
}
