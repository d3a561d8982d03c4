using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

/// <summary>
/// SD3Transformer2DModel's parameters, one member per diffusers module, bound by checkpoint name. Every Linear of
/// the diffusers model has a bias; a checkpoint tensor the model does not bind is an error.
/// </summary>
public sealed class Sd3Weights
{
    public required LinearWeight PosEmbedProj { get; init; }          // pos_embed.proj (Conv2d k = s = p)
    public required Tensor PosEmbedTable { get; init; }               // pos_embed.pos_embed [M·M, D]
    public required MlpWeights TimestepEmbedder { get; init; }        // time_text_embed.timestep_embedder
    public required MlpWeights TextEmbedder { get; init; }            // time_text_embed.text_embedder
    public required LinearWeight ContextEmbedder { get; init; }       // context_embedder
    public required JointBlockWeights[] TransformerBlocks { get; init; }
    public required LinearWeight NormOutLinear { get; init; }         // norm_out.linear
    public required LinearWeight ProjOut { get; init; }               // proj_out

    public static Sd3Weights Bind(WeightBinder w, Sd3TransformerConfig cfg)
    {
        int d = cfg.InnerDim, p = cfg.PatchSize, m = cfg.PosEmbedMaxSize;
        if (cfg.CaptionProjectionDim != d)
            throw new ModelLoadException($"config: caption_projection_dim {cfg.CaptionProjectionDim} must equal num_attention_heads·attention_head_dim = {d}");
        var weights = new Sd3Weights
        {
            PosEmbedProj = w.Linear("pos_embed.proj", bias: true, d, cfg.InChannels, p, p),
            PosEmbedTable = w.Parameter("pos_embed.pos_embed", 1, m * m, d).View(m * m, d),
            TimestepEmbedder = MlpWeights.Bind(w, "time_text_embed.timestep_embedder", Sd3Transformer.TimestepFeatures, d),
            TextEmbedder = MlpWeights.Bind(w, "time_text_embed.text_embedder", cfg.PooledProjectionDim, d),
            ContextEmbedder = w.Linear("context_embedder", bias: true, d, cfg.JointAttentionDim),
            TransformerBlocks = [.. Enumerable.Range(0, cfg.NumLayers).Select(i => JointBlockWeights.Bind(w, cfg, i))],
            NormOutLinear = w.Linear("norm_out.linear", bias: true, 2 * d, d),
            ProjOut = w.Linear("proj_out", bias: true, p * p * cfg.OutChannels, d),
        };
        w.Finish();
        return weights;
    }
}

/// <summary>FeedForward: net.0.proj (GELU-tanh) → net.2.</summary>
public sealed record FeedForwardWeights(LinearWeight Proj, LinearWeight Out)
{
    public static FeedForwardWeights Bind(WeightBinder w, string prefix, int width) =>
        new(w.Linear(prefix + ".net.0.proj", bias: true, 4 * width, width), w.Linear(prefix + ".net.2", bias: true, width, 4 * width));
}

/// <summary>
/// One attention module's projections and optional per-head RMS qk-norm weights; to_q, to_k and to_v read the same
/// input and are bound as one Linear of three parts (q, k, v in that order).
/// </summary>
public sealed record AttentionWeights(LinearWeight ToQkv, LinearWeight ToOut, Tensor? NormQ, Tensor? NormK)
{
    public static AttentionWeights Bind(WeightBinder w, string prefix, int width, int headDim, bool qkNorm) => new(
        w.LinearParts([prefix + ".to_q", prefix + ".to_k", prefix + ".to_v"], bias: true, width, width),
        w.Linear(prefix + ".to_out.0", bias: true, width, width),
        qkNorm ? w.Parameter(prefix + ".norm_q.weight", headDim) : null,
        qkNorm ? w.Parameter(prefix + ".norm_k.weight", headDim) : null);
}

/// <summary>
/// The context stream's projections of a joint attention (add_q_proj, add_k_proj, add_v_proj as one Linear of three
/// parts; to_add_out, norm_added_*).
/// </summary>
public sealed record ContextAttentionWeights(LinearWeight AddQkvProj, LinearWeight? ToAddOut, Tensor? NormAddedQ, Tensor? NormAddedK)
{
    public static ContextAttentionWeights Bind(WeightBinder w, string prefix, int width, int headDim, bool qkNorm, bool contextPreOnly) => new(
        w.LinearParts([prefix + ".add_q_proj", prefix + ".add_k_proj", prefix + ".add_v_proj"], bias: true, width, width),
        contextPreOnly ? null : w.Linear(prefix + ".to_add_out", bias: true, width, width),
        qkNorm ? w.Parameter(prefix + ".norm_added_q.weight", headDim) : null,
        qkNorm ? w.Parameter(prefix + ".norm_added_k.weight", headDim) : null);
}

/// <summary>
/// A joint block's two adaLN Linears, norm1.linear (6·D chunks, 9·D with attn2) and norm1_context.linear (6·D, or 2·D
/// — scale, shift — when context_pre_only). Both read SiLU(temb), so where their shapes match they are bound as one
/// Linear of two parts (<see cref="Both"/>: image chunks, then context chunks) and run as one matmul; otherwise (or
/// when a checkpoint stores the two in different formats) apart (<see cref="Image"/>, <see cref="Context"/>). The
/// checkpoint names stay those of diffusers either way.
/// </summary>
public sealed record AdaLnWeights(LinearWeight? Both, LinearWeight? Image, LinearWeight? Context, int ImageChunks, int ContextChunks)
{
    public static AdaLnWeights Bind(WeightBinder w, string blockPrefix, int width, int imageChunks, int contextChunks)
    {
        string image = blockPrefix + ".norm1.linear", context = blockPrefix + ".norm1_context.linear";
        return imageChunks == contextChunks && w.StoredInOneFormat([image, context], imageChunks * width, width)
            ? new(w.LinearParts([image, context], bias: true, imageChunks * width, width), null, null, imageChunks, contextChunks)
            : new(null, w.Linear(image, bias: true, imageChunks * width, width), w.Linear(context, bias: true, contextChunks * width, width),
                imageChunks, contextChunks);
    }
}

/// <summary>transformer_blocks.{i}: JointTransformerBlock (the last is context_pre_only).</summary>
public sealed class JointBlockWeights
{
    public required AdaLnWeights Norm1 { get; init; }                // norm1.linear and norm1_context.linear
    public required AttentionWeights Attn { get; init; }
    public required ContextAttentionWeights AttnContext { get; init; }
    public AttentionWeights? Attn2 { get; init; }                    // SD3.5 dual-attention blocks only
    public required FeedForwardWeights Ff { get; init; }
    public FeedForwardWeights? FfContext { get; init; }              // absent when context_pre_only
    public required bool ContextPreOnly { get; init; }

    public static JointBlockWeights Bind(WeightBinder w, Sd3TransformerConfig cfg, int index)
    {
        string prefix = $"transformer_blocks.{index}";
        int d = cfg.InnerDim, hd = cfg.AttentionHeadDim;
        bool last = index == cfg.NumLayers - 1;
        bool dual = cfg.DualAttentionLayers.Contains(index);
        bool qkNorm = cfg.QkNorm switch
        {
            null => false,
            "rms_norm" => true,
            var other => throw new ModelLoadException($"config: qk_norm '{other}' is not supported (expected null or \"rms_norm\")"),
        };
        return new JointBlockWeights
        {
            Norm1 = AdaLnWeights.Bind(w, prefix, d, imageChunks: dual ? 9 : 6, contextChunks: last ? 2 : 6),
            Attn = AttentionWeights.Bind(w, prefix + ".attn", d, hd, qkNorm),
            AttnContext = ContextAttentionWeights.Bind(w, prefix + ".attn", d, hd, qkNorm, last),
            Attn2 = dual ? AttentionWeights.Bind(w, prefix + ".attn2", d, hd, qkNorm) : null,
            Ff = FeedForwardWeights.Bind(w, prefix + ".ff", d),
            FfContext = last ? null : FeedForwardWeights.Bind(w, prefix + ".ff_context", d),
            ContextPreOnly = last,
        };
    }
}
