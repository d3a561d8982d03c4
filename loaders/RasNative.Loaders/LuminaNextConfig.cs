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
            SampleSize = config.Int("sample_size", defaults.SampleSize),
            PatchSize = config.Int("patch_size", defaults.PatchSize),
            InChannels = config.Int("in_channels", defaults.InChannels),
            HiddenSize = config.Int("hidden_size", defaults.HiddenSize),
            NumLayers = config.Int("num_layers", defaults.NumLayers),
            NumAttentionHeads = config.Int("num_attention_heads", defaults.NumAttentionHeads),
            NumKvHeads = config.NullableInt("num_kv_heads"),
            MultipleOf = config.Int("multiple_of", defaults.MultipleOf),
            FfnDimMultiplier = (float?)config.NullableDouble("ffn_dim_multiplier"),
            NormEps = (float)config.Double("norm_eps", defaults.NormEps),
            LearnSigma = config.Bool("learn_sigma", defaults.LearnSigma),
            QkNorm = config.Bool("qk_norm", defaults.QkNorm),
            CrossAttentionDim = config.Int("cross_attention_dim", defaults.CrossAttentionDim),
            ScalingFactor = (float)config.Double("scaling_factor", defaults.ScalingFactor),
        };
    }
}
