using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

public sealed partial class Sd3Transformer
{
    // AdaLayerNormZero chunk order (SD35AdaLayerNormZeroX appends the attn2 triple).
    const int ShiftMsa = 0, ScaleMsa = 1, GateMsa = 2, ShiftMlp = 3, ScaleMlp = 4, GateMlp = 5, ShiftMsa2 = 6, ScaleMsa2 = 7, GateMsa2 = 8;

    // AdaLayerNormContinuous chunk order: scale first.
    const int ContinuousScale = 0, ContinuousShift = 1;

    /// <summary>
    /// The first block's norm1 / norm1_context (adaLN Linears, then the adaptive LayerNorms of both streams) before the
    /// blocks run; every later block's norm1 ends the block before it, fused with that block's last residual update.
    /// </summary>
    void FirstNorm1(JointBlockWeights blk, Tensor x, Tensor context, Tensor tembSilu, IActivationObserver? observer)
    {
        var a = setup.Arena;
        var (emb, _) = AdaLnAhead(0, blk, tembSilu, x.Dim(0), observer);
        var normX = a.NormX.View(x.Shape);
        backend.LayerNormModulate(x, new(emb, ScaleMsa), new Modulation(emb, ShiftMsa), normX, NormEps);
        observer?.Observe("block0.norm1.x", normX);
        if (blk.Norm1.Both != null) ContextNorm1(0, blk, context, tembSilu, observer);   // else at the block's start
    }

    /// <summary>
    /// norm1_context of a block where it is not fused with the previous block's end: its adaLN Linear when that runs
    /// apart from norm1.linear (the context_pre_only block, SD3.5's dual-attention blocks), then the LayerNorm-modulate.
    /// </summary>
    void ContextNorm1(int index, JointBlockWeights blk, Tensor context, Tensor tembSilu, IActivationObserver? observer)
    {
        var (_, embContext) = Modulations(index, blk, context.Dim(0));
        if (blk.Norm1.Both == null)
        {
            backend.Linear(tembSilu, blk.Norm1.Context!, embContext);
            observer?.Observe($"block{index}.norm1_context.emb", embContext);
        }
        var normContext = setup.Arena.NormContext.View(context.Shape);
        var (scale, shift) = ContextModulation(blk, embContext);
        backend.LayerNormModulate(context, scale, shift, normContext, NormEps);
        observer?.Observe($"block{index}.norm1_context.x", normContext);
    }

    /// <summary>
    /// JointTransformerBlock: image stream x [B, n, D] and context stream [B, L, D], updated in place. norm1's outputs
    /// (the arena's NormX, NormContext) and adaLN chunks are ready when it starts; it ends with the next block's
    /// (<paramref name="next"/>) adaLN Linears and each stream's last residual update fused with that block's norm1.
    /// </summary>
    void JointBlock(int index, JointBlockWeights blk, JointBlockWeights? next, Tensor x, Tensor context, Tensor tembSilu,
        KvCacheMode cacheMode, IndexList? activePatches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        int batch = x.Dim(0), tokens = x.Dim(1), text = context.Dim(1);
        string name = $"block{index}";
        var imageShape = new[] { batch, tokens, Width };
        var textShape = new[] { batch, text, Width };

        // norm1 / norm1_context: done (see FirstNorm1), but for a norm1_context whose adaLN Linear runs apart; attn2's
        // own modulation of x remains.
        var (emb, embContext) = Modulations(index, blk, batch);
        var normX = a.NormX.View(imageShape);
        var normContext = a.NormContext.View(textShape);
        if (blk.Norm1.Both == null) ContextNorm1(index, blk, context, tembSilu, observer);
        if (blk.Attn2 != null)
        {
            backend.LayerNormModulate(x, new(emb, ScaleMsa2), new Modulation(emb, ShiftMsa2), a.NormX2.View(imageShape), NormEps);
            observer?.Observe($"{name}.norm1.x2", a.NormX2.View(imageShape));
        }

        // attn: joint attention over [image ; text], image keys/values through the RAS cache.
        var attnImage = a.AttnImage.View(imageShape);
        var attnContext = a.AttnContext.View(textShape);
        JointAttention(index, blk, normX, normContext, attnImage, attnContext, cacheMode, activePatches, observer);
        var projected = a.Projected.View(imageShape);
        backend.Linear(attnImage, blk.Attn.ToOut, projected);
        observer?.Observe($"{name}.attn.out_img", projected);

        // attn2 (SD3.5 dual attention): image-only self-attention among the tokens present. Then ff: the image
        // feed-forward, its norm in one pass with the last residual update.
        if (blk.Attn2 != null)
        {
            backend.GatedResidual(x, projected, new(emb, GateMsa));
            ImageAttention($"{name}.attn2", blk.Attn2, a.NormX2.View(imageShape), attnImage, 2 * index + 1, cacheMode, activePatches, observer);
            backend.Linear(attnImage, blk.Attn2.ToOut, projected);
            observer?.Observe($"{name}.attn2.out", projected);
        }
        backend.GatedResidualLayerNormModulate(x, projected, new(emb, blk.Attn2 != null ? GateMsa2 : GateMsa),
            new(emb, ScaleMlp), new Modulation(emb, ShiftMlp), normX, NormEps);
        FeedForward(blk.Ff, normX, projected);
        observer?.Observe($"{name}.ff.out", projected);
        var nextEmb = next == null ? default : AdaLnAhead(index + 1, next, tembSilu, batch, observer);
        if (next == null)
        {
            backend.GatedResidual(x, projected, new(emb, GateMlp));
        }
        else
        {
            backend.GatedResidualLayerNormModulate(x, projected, new(emb, GateMlp),
                new(nextEmb.Image, ScaleMsa), new Modulation(nextEmb.Image, ShiftMsa), normX, NormEps);
            observer?.Observe($"block{index + 1}.norm1.x", normX);
        }
        observer?.Observe($"{name}.hidden_out", x);

        if (blk.ContextPreOnly) return;

        // Context stream update (absent in the last block, whose context output diffusers discards).
        var projectedContext = a.Projected.View(textShape);
        backend.Linear(attnContext, blk.AttnContext.ToAddOut!, projectedContext);
        observer?.Observe($"{name}.attn.out_ctx", projectedContext);
        backend.GatedResidualLayerNormModulate(context, projectedContext, new(embContext, GateMsa),
            new(embContext, ScaleMlp), new Modulation(embContext, ShiftMlp), normContext, NormEps);
        FeedForward(blk.FfContext!, normContext, projectedContext);
        observer?.Observe($"{name}.ff_context.out", projectedContext);
        if (next?.Norm1.Both == null)
        {
            backend.GatedResidual(context, projectedContext, new(embContext, GateMlp));
        }
        else
        {
            var (scale, shift) = ContextModulation(next, nextEmb.Context);
            backend.GatedResidualLayerNormModulate(context, projectedContext, new(embContext, GateMlp), scale, shift, normContext, NormEps);
            observer?.Observe($"block{index + 1}.norm1_context.x", normContext);
        }
        observer?.Observe($"{name}.context_out", context);
    }

    /// <summary>norm1_context's modulation: AdaLayerNormZero's msa chunks, or AdaLayerNormContinuous's (scale, shift) in a context_pre_only block.</summary>
    static (Modulation Scale, Modulation Shift) ContextModulation(JointBlockWeights blk, Tensor embContext) => blk.ContextPreOnly
        ? (new(embContext, ContinuousScale), new(embContext, ContinuousShift))
        : (new(embContext, ScaleMsa), new(embContext, ShiftMsa));

    /// <summary>
    /// Block <paramref name="index"/>'s adaLN chunks in the arena's Emb: image then context, in the half of Emb of the
    /// block's parity (a block's gates are still needed while the next block's chunks are computed).
    /// </summary>
    (Tensor Image, Tensor Context) Modulations(int index, JointBlockWeights blk, int batch)
    {
        var w = blk.Norm1;
        long half = setup.Arena.Emb.Length / 2, start = index % 2 * half, imageLength = (long)batch * w.ImageChunks * Width;
        return (setup.Arena.Emb.Slice(start, [batch, w.ImageChunks * Width]),
            setup.Arena.Emb.Slice(start + imageLength, [batch, w.ContextChunks * Width]));
    }

    /// <summary>
    /// The adaLN Linears of SiLU(temb) that run ahead of a block (at the end of the one before it, or before the first):
    /// norm1.linear and norm1_context.linear as one matmul of two parts where their shapes match, else norm1.linear
    /// alone (norm1_context.linear then runs in <see cref="ContextNorm1"/>, so every block but the last makes the same calls).
    /// </summary>
    (Tensor Image, Tensor Context) AdaLnAhead(int index, JointBlockWeights blk, Tensor tembSilu, int batch, IActivationObserver? observer)
    {
        var w = blk.Norm1;
        var (image, context) = Modulations(index, blk, batch);
        if (w.Both != null)
        {
            backend.Linear(tembSilu, w.Both, StackedParts.Output(image.Slice(0), 2, image.Shape));
            observer?.Observe($"block{index}.norm1_context.emb", context);
        }
        else
        {
            backend.Linear(tembSilu, w.Image!, image);
        }
        observer?.Observe($"block{index}.norm1.emb", image);
        return (image, context);
    }

    void JointAttention(int index, JointBlockWeights blk, Tensor normX, Tensor normContext, Tensor attnImage, Tensor attnContext,
        KvCacheMode cacheMode, IndexList? activePatches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        var (q, k, v) = Project(blk.Attn, normX);
        var (cq, ck, cv) = Qkv(a.ContextQkv, normContext.Shape);
        backend.Linear(normContext, blk.AttnContext.AddQkvProj, StackedParts.Output(a.ContextQkv, 3, normContext.Shape));
        if (blk.AttnContext.NormAddedQ != null) backend.RmsNormHeads(cq, blk.AttnContext.NormAddedQ, HeadDim, NormEps);
        if (blk.AttnContext.NormAddedK != null) backend.RmsNormHeads(ck, blk.AttnContext.NormAddedK, HeadDim, NormEps);

        var (imageKeys, imageValues) = setup.KvCache.Through(2 * index, KeysValues(normX.Shape), cacheMode, activePatches);

        string name = $"block{index}.attn";
        observer?.ObserveHeads(name + ".q", q, cq, Heads, HeadDim);
        observer?.ObserveHeads(name + ".k", k, ck, Heads, HeadDim);
        observer?.ObserveHeads(name + ".v", v, cv, Heads, HeadDim);
        backend.Attention(new AttentionArgs
        {
            Query1 = q, Query2 = cq,
            Key1 = imageKeys, Key2 = ck,
            Value1 = imageValues, Value2 = cv,
            Output1 = attnImage, Output2 = attnContext,
            Heads = Heads, HeadDim = HeadDim, Scale = 1f / MathF.Sqrt(HeadDim),
        });
        observer?.ObserveHeads(name + ".sdpa_out", attnImage, attnContext, Heads, HeadDim);
    }

    /// <summary>
    /// SD3.5's attn2: self-attention among image tokens, output before to_out. Under RAS it has a K/V cache
    /// of its own, like the joint attention, so active tokens still see the whole image.
    /// </summary>
    void ImageAttention(string name, AttentionWeights w, Tensor input, Tensor output, int cacheSlot,
        KvCacheMode cacheMode, IndexList? activePatches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        var (q, k, v) = Project(w, input);
        var (keys, values) = setup.KvCache.Through(cacheSlot, KeysValues(input.Shape), cacheMode, activePatches);
        observer?.ObserveHeads(name + ".q", q, null, Heads, HeadDim);
        observer?.ObserveHeads(name + ".k", k, null, Heads, HeadDim);
        observer?.ObserveHeads(name + ".v", v, null, Heads, HeadDim);
        backend.Attention(new AttentionArgs
        {
            Query1 = q, Key1 = keys, Value1 = values, Output1 = output,
            Heads = Heads, HeadDim = HeadDim, Scale = 1f / MathF.Sqrt(HeadDim),
        });
        observer?.ObserveHeads(name + ".sdpa_out", output, null, Heads, HeadDim);
    }

    /// <summary>to_q/to_k/to_v (one Linear of three parts into the arena's q, k, v), then the per-head RMS qk-norm where the model has one.</summary>
    (Tensor Q, Tensor K, Tensor V) Project(AttentionWeights w, Tensor input)
    {
        var qkv = setup.Arena.Qkv;
        var (q, k, v) = Qkv(qkv, input.Shape);
        backend.Linear(input, w.ToQkv, StackedParts.Output(qkv, 3, input.Shape));
        if (w.NormQ != null) backend.RmsNormHeads(q, w.NormQ, HeadDim, NormEps);
        if (w.NormK != null) backend.RmsNormHeads(k, w.NormK, HeadDim, NormEps);
        return (q, k, v);
    }

    /// <summary>The k and v parts of the arena's q, k, v as one stacked tensor [2, shape..] (what the K/V cache takes).</summary>
    Tensor KeysValues(int[] shape) => StackedParts.Output(setup.Arena.Qkv.Slice(Tensor.ShapeLength(shape)), 2, shape);

    static (Tensor Q, Tensor K, Tensor V) Qkv(Tensor stacked, int[] shape)
    {
        var parts = StackedParts.Split(stacked, 3, shape);
        return (parts[0], parts[1], parts[2]);
    }

    void FeedForward(FeedForwardWeights w, Tensor input, Tensor output)
    {
        var hidden = setup.Arena.FeedForwardHidden.View(input.Dim(0), input.Dim(1), 4 * Width);
        backend.Linear(input, w.Proj, hidden, Activation.GeluTanh);
        backend.Linear(hidden, w.Out, output);
    }

    /// <summary>norm_out (AdaLayerNormContinuous) → proj_out → unpatchify into the output's patches.</summary>
    void OutputHead(Tensor x, Tensor tembSilu, Tensor output, IndexList? patches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        int batch = x.Dim(0), tokens = x.Dim(1), p = Config.PatchSize;
        var emb = a.Emb.View(batch, 2 * Width);
        var normX = a.NormX.View(x.Shape);
        var outTokens = a.OutTokens.View(batch, tokens, p * p * Config.OutChannels);
        backend.Linear(tembSilu, weights.NormOutLinear, emb);
        backend.LayerNormModulate(x, new(emb, ContinuousScale), new Modulation(emb, ContinuousShift), normX, NormEps);
        observer?.Observe("norm_out", normX);
        backend.Linear(normX, weights.ProjOut, outTokens);
        observer?.Observe("proj_out", outTokens);
        backend.Unpatchify(outTokens, p, patches, output);
        observer?.Observe("sample", output);
    }
}
