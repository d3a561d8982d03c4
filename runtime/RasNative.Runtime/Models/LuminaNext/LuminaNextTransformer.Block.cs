using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

public sealed partial class LuminaNextTransformer
{
    // LuminaRMSNormZero chunk order.
    const int ScaleMsa = 0, GateMsa = 1, ScaleMlp = 2, GateMlp = 3;

    /// <summary>LuminaNextDiTBlock: image tokens x [B, n, D] updated in place.</summary>
    void Block(int index, LuminaNextBlockWeights blk, Tensor x, LuminaNextInputs inputs, Tensor tembSilu, Tensor rope,
        AttentionScales scales, KvCacheMode cacheMode, IndexList? activePatches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        int batch = x.Dim(0), tokens = x.Dim(1);
        float eps = Config.NormEps;
        string name = $"layer{index}";
        var imageShape = new[] { batch, tokens, Width };

        // norm1 (LuminaRMSNormZero): RMSNorm·(1 + scale_msa); the gates enter through tanh.
        var emb = a.Emb.View(batch, 4 * Width);
        var gates = a.EmbTanh.View(batch, 4 * Width);
        var normX = a.NormX.View(imageShape);
        backend.Linear(tembSilu, blk.Norm1Linear, emb);
        backend.Tanh(emb, gates);
        backend.RmsNormModulate(x, blk.Norm1Norm, new Modulation(emb, ScaleMsa), normX, eps);
        observer?.Observe($"{name}.norm1.x", normX);

        // attn1 + tanh(gate)·attn2, both without out-projection, then the shared attn2.to_out.0.
        var selfAttention = a.SelfAttention.View(imageShape);
        var crossAttention = a.CrossAttention.View(imageShape);
        SelfAttention(index, blk.Attn1, normX, rope, selfAttention, scales.Self, cacheMode, activePatches);
        observer?.Observe($"{name}.attn1.out", selfAttention);
        CrossAttention(blk, normX, inputs, rope, crossAttention, scales.Cross);
        observer?.Observe($"{name}.attn2.out_pre_gate", crossAttention);
        backend.AddTanhGatedHeads(selfAttention, crossAttention, blk.Gate, HeadDim);
        var projected = a.Projected.View(imageShape);
        backend.Linear(selfAttention, blk.Attn2ToOut, projected);
        observer?.Observe($"{name}.attn_proj", projected);
        backend.RmsNormModulate(projected, blk.Norm2, null, projected, eps);
        backend.GatedResidual(x, projected, new Modulation(gates, GateMsa));

        // feed_forward between ffn_norm1 (modulated) and ffn_norm2, tanh-gated.
        backend.RmsNormModulate(x, blk.FfnNorm1, new Modulation(emb, ScaleMlp), normX, eps);
        FeedForward(blk.FeedForward, normX, projected);
        observer?.Observe($"{name}.ffn.out", projected);
        backend.RmsNormModulate(projected, blk.FfnNorm2, null, projected, eps);
        backend.GatedResidual(x, projected, new Modulation(gates, GateMlp));
        observer?.Observe($"{name}.out", x);
    }

    /// <summary>
    /// attn1 over the image tokens: q, k, v projections, qk LayerNorm across heads, RoPE on q and k, GQA attention.
    /// Under RAS the keys (post-norm, post-RoPE) and values go through the layer's cache and every query attends
    /// all P cached tokens. The image mask is all ones, so no key mask.
    /// </summary>
    void SelfAttention(int index, LuminaAttentionWeights w, Tensor normX, Tensor rope, Tensor output, float scale,
        KvCacheMode cacheMode, IndexList? activePatches)
    {
        var a = setup.Arena;
        int batch = normX.Dim(0), tokens = normX.Dim(1), kvWidth = Config.KvHeads * HeadDim;
        var q = a.Q.View(normX.Shape);
        int[] kvShape = [batch, tokens, kvWidth];
        var kv = StackedParts.Split(a.Kv, 2, kvShape);
        var (k, v) = (kv[0], kv[1]);
        backend.Linear(normX, w.ToQ, q);
        backend.Linear(normX, w.ToKv, StackedParts.Output(a.Kv, 2, kvShape));
        QkNorm(w.NormQ, q);
        QkNorm(w.NormK, k);
        backend.ApplyRope(q, rope, HeadDim);
        backend.ApplyRope(k, rope, HeadDim);
        var (keys, values) = setup.KvCache.Through(index, StackedParts.Output(a.Kv, 2, kvShape), cacheMode, activePatches);
        backend.Attention(new AttentionArgs
        {
            Query1 = q, Key1 = keys, Value1 = values, Output1 = output,
            Heads = Heads, KvHeads = Config.KvHeads, HeadDim = HeadDim, Scale = scale,
        });
    }

    /// <summary>
    /// attn2: queries from the image tokens (RoPE'd), keys and values from the RMS-normed caption (no RoPE), the
    /// caption mask excluding padding. Never cached: the caption is recomputed every step.
    /// </summary>
    void CrossAttention(LuminaNextBlockWeights blk, Tensor normX, LuminaNextInputs inputs, Tensor rope, Tensor output, float scale)
    {
        var a = setup.Arena;
        var caption = inputs.EncoderHiddenStates;
        int batch = caption.Dim(0), text = caption.Dim(1), kvWidth = Config.KvHeads * HeadDim;
        var normCaption = a.NormCaption.View(caption.Shape);
        var q = a.Q.View(normX.Shape);
        int[] kvShape = [batch, text, kvWidth];
        var kv = StackedParts.Split(a.CaptionKv, 2, kvShape);
        var (k, v) = (kv[0], kv[1]);
        backend.RmsNormModulate(caption, blk.Norm1Context, null, normCaption, Config.NormEps);
        backend.Linear(normX, blk.Attn2.ToQ, q);
        backend.Linear(normCaption, blk.Attn2.ToKv, StackedParts.Output(a.CaptionKv, 2, kvShape));
        QkNorm(blk.Attn2.NormQ, q);
        QkNorm(blk.Attn2.NormK, k);
        backend.ApplyRope(q, rope, HeadDim);
        backend.Attention(new AttentionArgs
        {
            Query1 = q, Key1 = k, Value1 = v, Output1 = output,
            Heads = Heads, KvHeads = Config.KvHeads, HeadDim = HeadDim, Scale = scale,
            KeyMask = inputs.EncoderMask,
        });
    }

    /// <summary>qk_norm "layer_norm_across_heads": LayerNorm over all heads' channels, before the head split.</summary>
    void QkNorm(LayerNormWeights? norm, Tensor projection)
    {
        if (norm != null) backend.LayerNorm(projection, norm.Weight, norm.Bias, projection, QkNormEps);
    }

    /// <summary>LuminaFeedForward (SwiGLU): linear_2(silu(linear_1(z)) ⊙ linear_3(z)), the SiLU in float32 in the GEMM epilogue.</summary>
    void FeedForward(LuminaFeedForwardWeights w, Tensor input, Tensor output)
    {
        int inner = FeedForwardInner(Config);
        var gate = setup.Arena.FeedForwardGate.View(input.Dim(0), input.Dim(1), inner);
        var up = setup.Arena.FeedForwardUp.View(input.Dim(0), input.Dim(1), inner);
        backend.Linear(input, w.Linear1, gate, Activation.Silu);
        backend.Linear(input, w.Linear3, up);
        backend.Multiply(gate, up, gate);
        backend.Linear(gate, w.Linear2, output);
    }

    /// <summary>norm_out (LuminaLayerNormContinuous): LN(x, no affine)·(1 + linear_1(silu(temb))) → linear_2 → unpatchify.</summary>
    void OutputHead(Tensor x, Tensor tembSilu, Tensor output, IndexList? patches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        int batch = x.Dim(0), tokens = x.Dim(1), p = Config.PatchSize;
        var scale = a.Emb.View(batch, Width);
        var normX = a.NormX.View(x.Shape);
        var outTokens = a.OutTokens.View(batch, tokens, p * p * Config.OutChannels);
        backend.Linear(tembSilu, weights.NormOutLinear1, scale);
        backend.LayerNormModulate(x, new Modulation(scale, 0), null, normX, NormOutEps);
        backend.Linear(normX, weights.NormOutLinear2, outTokens);
        observer?.Observe("norm_out", outTokens);
        backend.Unpatchify(outTokens, p, patches, output);
        observer?.Observe("sample", output);
    }
}
