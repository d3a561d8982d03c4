using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.T5;

/// <summary>
/// T5EncoderModel's parameters (T5 v1.1: no biases anywhere, gated-GELU feed-forward), one member per transformers
/// module. The token embedding is encoder.embed_tokens, tied to shared: the checkpoint may hold both names (Stability's
/// files, older saves) or only shared.weight (transformers' save_pretrained drops the tied copy); whichever is bound,
/// the other is a known extra.
/// </summary>
public sealed class T5EncoderWeights
{
    const string EmbedTokens = "encoder.embed_tokens.weight", Shared = "shared.weight";

    public required EmbeddingTable EmbedTokensTable { get; init; }   // encoder.embed_tokens = shared
    public required Tensor RelativeAttentionBias { get; init; }      // encoder.block.0.layer.0.SelfAttention.relative_attention_bias [buckets, heads]
    public required T5BlockWeights[] Blocks { get; init; }           // encoder.block.{i}
    public required Tensor FinalLayerNorm { get; init; }             // encoder.final_layer_norm

    /// <summary>The one of the two tied names that is not bound when a checkpoint holds both (null otherwise): memory estimates skip it.</summary>
    public static string? UnboundTiedCopy(IEnumerable<string> names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        return set.Contains(EmbedTokens) && set.Contains(Shared) ? Shared : null;
    }

    public static T5EncoderWeights Bind(WeightBinder w, T5EncoderConfig config)
    {
        string embedding = w.Has(EmbedTokens) ? EmbedTokens : Shared;
        var weights = new T5EncoderWeights
        {
            EmbedTokensTable = w.Embedding(embedding, config.VocabSize, config.DModel),
            RelativeAttentionBias = w.Parameter("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                config.RelativeAttentionNumBuckets, config.NumHeads),
            Blocks = [.. Enumerable.Range(0, config.NumLayers).Select(i => T5BlockWeights.Bind(w, config, $"encoder.block.{i}"))],
            FinalLayerNorm = w.Parameter("encoder.final_layer_norm.weight", config.DModel),
        };
        w.Finish(embedding == EmbedTokens ? Shared : EmbedTokens);
        return weights;
    }
}

/// <summary>encoder.block.{i}: T5LayerSelfAttention (layer.0) and T5LayerFF with T5DenseGatedActDense (layer.1).</summary>
public sealed record T5BlockWeights(
    Tensor AttentionLayerNorm, LinearWeight Q, LinearWeight K, LinearWeight V, LinearWeight O,
    Tensor FeedForwardLayerNorm, LinearWeight Wi0, LinearWeight Wi1, LinearWeight Wo)
{
    public static T5BlockWeights Bind(WeightBinder w, T5EncoderConfig config, string prefix)
    {
        int d = config.DModel, inner = config.InnerDim;
        string attention = prefix + ".layer.0.SelfAttention", ff = prefix + ".layer.1.DenseReluDense";
        return new(
            w.Parameter(prefix + ".layer.0.layer_norm.weight", d),
            w.Linear(attention + ".q", bias: false, inner, d),
            w.Linear(attention + ".k", bias: false, inner, d),
            w.Linear(attention + ".v", bias: false, inner, d),
            w.Linear(attention + ".o", bias: false, d, inner),
            w.Parameter(prefix + ".layer.1.layer_norm.weight", d),
            w.Linear(ff + ".wi_0", bias: false, config.DFf, d),
            w.Linear(ff + ".wi_1", bias: false, config.DFf, d),
            w.Linear(ff + ".wo", bias: false, d, config.DFf));
    }
}
