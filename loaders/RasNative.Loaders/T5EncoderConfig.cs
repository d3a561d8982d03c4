using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>
/// transformers' T5Config as T5EncoderModel reads it (SD3's text_encoder_3); defaults are the class defaults. Only the
/// gated-GELU feed-forward of T5 v1.1 (what SD3 uses) is supported: feed_forward_proj "gated-gelu" (its activation
/// gelu_new, the tanh approximation, as transformers maps it).
/// </summary>
public sealed record T5EncoderConfig
{
    public int VocabSize { get; init; } = 32128;
    public int DModel { get; init; } = 512;
    public int DKv { get; init; } = 64;
    public int DFf { get; init; } = 2048;
    public int NumLayers { get; init; } = 6;
    public int NumHeads { get; init; } = 8;
    public int RelativeAttentionNumBuckets { get; init; } = 32;
    public int RelativeAttentionMaxDistance { get; init; } = 128;
    public float LayerNormEpsilon { get; init; } = 1e-6f;
    public string FeedForwardProj { get; init; } = "relu";

    /// <summary>heads · d_kv: the width of q, k, v (4096 for T5-XXL, unrelated to d_model in general).</summary>
    public int InnerDim => NumHeads * DKv;

    /// <param name="source">Named in error messages (normally the config.json path).</param>
    public static T5EncoderConfig FromJson(JsonElement json, string source = "config.json")
    {
        var config = new ConfigReader(json, source);
        var defaults = new T5EncoderConfig();
        return new T5EncoderConfig
        {
            VocabSize = config.Int("vocab_size", defaults.VocabSize, 1, MaxVocabulary),
            DModel = config.Int("d_model", defaults.DModel, 1, MaxWidth),
            DKv = config.Int("d_kv", defaults.DKv, 1, MaxWidth),
            DFf = config.Int("d_ff", defaults.DFf, 1, MaxWidth),
            NumLayers = config.Int("num_layers", defaults.NumLayers, 1, MaxLayers),
            NumHeads = config.Int("num_heads", defaults.NumHeads, 1, MaxWidth),
            RelativeAttentionNumBuckets = config.Int("relative_attention_num_buckets", defaults.RelativeAttentionNumBuckets, 1, MaxWidth),
            RelativeAttentionMaxDistance = config.Int("relative_attention_max_distance", defaults.RelativeAttentionMaxDistance, 1, MaxWidth),
            LayerNormEpsilon = (float)config.Double("layer_norm_epsilon", defaults.LayerNormEpsilon, 1e-30, 1),
            FeedForwardProj = config.NullableString("feed_forward_proj") ?? defaults.FeedForwardProj,
        }.Validated(source);
    }

    const int MaxVocabulary = 1 << 22, MaxWidth = 65536, MaxLayers = 1024;

    /// <summary>Checks the feed-forward kind and the combined sizes; errors name the key.</summary>
    public T5EncoderConfig Validated(string source)
    {
        void Require(bool condition, string key, string message)
        {
            if (!condition) throw new ModelFolderException($"{source}: key '{key}' {message}");
        }
        Require(FeedForwardProj == "gated-gelu", "feed_forward_proj",
            $"'{FeedForwardProj}' is not supported (T5 v1.1 encoders such as SD3's use \"gated-gelu\")");
        Require(RelativeAttentionNumBuckets >= 4, "relative_attention_num_buckets", $"{RelativeAttentionNumBuckets} leaves no exact bucket (at least 4: two directions, exact and logarithmic halves)");
        Require(InnerDim <= MaxWidth, "num_heads", $"× d_kv = {(long)NumHeads * DKv} exceeds {MaxWidth}");
        Require((long)VocabSize * DModel <= int.MaxValue, "vocab_size", $"{VocabSize} × d_model {DModel} exceeds {int.MaxValue} values");
        return this;
    }
}
