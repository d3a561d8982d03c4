using RasNative.Loaders;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

/// <summary>
/// LuminaNextDiT2DModel's parameters, one member per diffusers module, bound by checkpoint name. As in diffusers, the
/// attention projections (to_q/k/v, attn2.to_out.0) and the SwiGLU feed-forward have no bias, every other Linear has
/// one. pad_token is a parameter diffusers' forward never reads: the one known extra.
/// </summary>
public sealed class LuminaNextWeights
{
    /// <summary>Present in every LuminaNextDiT2DModel checkpoint, read by none of its code.</summary>
    const string UnusedParameter = "pad_token";

    public required LinearWeight PatchEmbedderProj { get; init; }     // patch_embedder.proj (Linear C·p·p → D)
    public required MlpWeights TimestepEmbedder { get; init; }        // time_caption_embed.timestep_embedder
    public required LayerNormWeights CaptionNorm { get; init; }       // time_caption_embed.caption_embedder.0
    public required LinearWeight CaptionProj { get; init; }           // time_caption_embed.caption_embedder.1
    public required LuminaNextBlockWeights[] Layers { get; init; }
    public required LinearWeight NormOutLinear1 { get; init; }        // norm_out.linear_1 (scale only)
    public required LinearWeight NormOutLinear2 { get; init; }        // norm_out.linear_2

    public static LuminaNextWeights Bind(WeightBinder w, LuminaNextConfig cfg)
    {
        int d = cfg.HiddenSize, e = LuminaNextTransformer.ConditioningWidth(cfg), p = cfg.PatchSize;
        if (d % cfg.NumAttentionHeads != 0 || cfg.HeadDim % 4 != 0)
            throw new ModelLoadException($"config: hidden_size {d} / num_attention_heads {cfg.NumAttentionHeads} must give a head_dim divisible by 4 (2-D RoPE)");
        if (cfg.NumAttentionHeads % cfg.KvHeads != 0)
            throw new ModelLoadException($"config: num_attention_heads {cfg.NumAttentionHeads} is not a multiple of num_kv_heads {cfg.KvHeads}");
        var weights = new LuminaNextWeights
        {
            PatchEmbedderProj = w.Linear("patch_embedder.proj", bias: true, d, cfg.InChannels * p * p),
            TimestepEmbedder = MlpWeights.Bind(w, "time_caption_embed.timestep_embedder", LuminaNextTransformer.TimestepFeatures, e),
            CaptionNorm = LayerNormWeights.Bind(w, "time_caption_embed.caption_embedder.0", cfg.CrossAttentionDim),
            CaptionProj = w.Linear("time_caption_embed.caption_embedder.1", bias: true, e, cfg.CrossAttentionDim),
            Layers = [.. Enumerable.Range(0, cfg.NumLayers).Select(i => LuminaNextBlockWeights.Bind(w, cfg, i))],
            NormOutLinear1 = w.Linear("norm_out.linear_1", bias: true, d, e),
            NormOutLinear2 = w.Linear("norm_out.linear_2", bias: true, p * p * cfg.OutChannels, d),
        };
        w.Finish(UnusedParameter);
        return weights;
    }
}

/// <summary>nn.LayerNorm with elementwise affine weight and bias.</summary>
public sealed record LayerNormWeights(Tensor Weight, Tensor Bias)
{
    public static LayerNormWeights Bind(WeightBinder w, string prefix, int width) =>
        new(w.Parameter(prefix + ".weight", width), w.Parameter(prefix + ".bias", width));
}

/// <summary>
/// One Lumina attention module without output projection (attn1's to_out is Identity; attn2's to_out is bound
/// by the block): bias-free to_q (D → D), to_k/to_v (input → kvHeads·hd), and the "layer_norm_across_heads" qk-norm.
/// </summary>
public sealed record LuminaAttentionWeights(LinearWeight ToQ, LinearWeight ToKv, LayerNormWeights? NormQ, LayerNormWeights? NormK)
{
    /// <summary>to_k and to_v (same input, same shape) are one Linear of two parts; to_q is wider under GQA and reads the image for attn2.</summary>
    public static LuminaAttentionWeights Bind(WeightBinder w, string prefix, LuminaNextConfig cfg, int keyInput)
    {
        int d = cfg.HiddenSize, kv = cfg.KvHeads * cfg.HeadDim;
        return new(
            w.Linear(prefix + ".to_q", bias: false, d, d),
            w.LinearParts([prefix + ".to_k", prefix + ".to_v"], bias: false, kv, keyInput),
            cfg.QkNorm ? LayerNormWeights.Bind(w, prefix + ".norm_q", d) : null,
            cfg.QkNorm ? LayerNormWeights.Bind(w, prefix + ".norm_k", kv) : null);
    }
}

/// <summary>LuminaFeedForward: linear_2(silu(linear_1(x)) ⊙ linear_3(x)), no biases.</summary>
public sealed record LuminaFeedForwardWeights(LinearWeight Linear1, LinearWeight Linear2, LinearWeight Linear3)
{
    public static LuminaFeedForwardWeights Bind(WeightBinder w, string prefix, int width, int inner) => new(
        w.Linear(prefix + ".linear_1", bias: false, inner, width),
        w.Linear(prefix + ".linear_2", bias: false, width, inner),
        w.Linear(prefix + ".linear_3", bias: false, inner, width));
}

/// <summary>layers.{i}: LuminaNextDiTBlock.</summary>
public sealed class LuminaNextBlockWeights
{
    public required LinearWeight Norm1Linear { get; init; }            // norm1.linear: E → 4·D (scale_msa, gate_msa, scale_mlp, gate_mlp)
    public required Tensor Norm1Norm { get; init; }                    // norm1.norm.weight (RMSNorm)
    public required LuminaAttentionWeights Attn1 { get; init; }
    public required LuminaAttentionWeights Attn2 { get; init; }
    public required LinearWeight Attn2ToOut { get; init; }             // attn2.to_out.0: projects attn1 + gated attn2
    public required Tensor Gate { get; init; }                         // gate [heads]: tanh gate of the cross-attention
    public required Tensor Norm1Context { get; init; }                 // norm1_context.weight (RMSNorm over the caption)
    public required Tensor Norm2 { get; init; }                        // norm2.weight
    public required Tensor FfnNorm1 { get; init; }                     // ffn_norm1.weight
    public required Tensor FfnNorm2 { get; init; }                     // ffn_norm2.weight
    public required LuminaFeedForwardWeights FeedForward { get; init; }

    public static LuminaNextBlockWeights Bind(WeightBinder w, LuminaNextConfig cfg, int index)
    {
        string prefix = $"layers.{index}";
        int d = cfg.HiddenSize;
        return new LuminaNextBlockWeights
        {
            Norm1Linear = w.Linear(prefix + ".norm1.linear", bias: true, 4 * d, LuminaNextTransformer.ConditioningWidth(cfg)),
            Norm1Norm = w.Parameter(prefix + ".norm1.norm.weight", d),
            Attn1 = LuminaAttentionWeights.Bind(w, prefix + ".attn1", cfg, d),
            Attn2 = LuminaAttentionWeights.Bind(w, prefix + ".attn2", cfg, cfg.CrossAttentionDim),
            Attn2ToOut = w.Linear(prefix + ".attn2.to_out.0", bias: false, d, d),
            Gate = w.Parameter(prefix + ".gate", cfg.NumAttentionHeads),
            Norm1Context = w.Parameter(prefix + ".norm1_context.weight", cfg.CrossAttentionDim),
            Norm2 = w.Parameter(prefix + ".norm2.weight", d),
            FfnNorm1 = w.Parameter(prefix + ".ffn_norm1.weight", d),
            FfnNorm2 = w.Parameter(prefix + ".ffn_norm2.weight", d),
            FeedForward = LuminaFeedForwardWeights.Bind(w, prefix + ".feed_forward", d, LuminaNextTransformer.FeedForwardInner(cfg)),
        };
    }
}
