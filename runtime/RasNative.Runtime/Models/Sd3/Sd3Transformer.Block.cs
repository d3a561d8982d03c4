using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

public sealed partial class Sd3Transformer
{
    // AdaLayerNormZero chunk order (SD35AdaLayerNormZeroX appends the attn2 triple).
    const int ShiftMsa = 0, ScaleMsa = 1, GateMsa = 2, ShiftMlp = 3, ScaleMlp = 4, GateMlp = 5, ShiftMsa2 = 6, ScaleMsa2 = 7, GateMsa2 = 8;

    // AdaLayerNormContinuous chunk order: scale first.
    const int ContinuousScale = 0, ContinuousShift = 1;

    /// <summary>JointTransformerBlock: image stream x [B, n, D] and context stream [B, L, D], updated in place.</summary>
    void JointBlock(int index, JointBlockWeights blk, Tensor x, Tensor context, Tensor tembSilu,
        KvCacheMode cacheMode, IndexList? activePatches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        int batch = x.Dim(0), tokens = x.Dim(1), text = context.Dim(1);
        string name = $"block{index}";
        var imageShape = new[] { batch, tokens, Width };
        var textShape = new[] { batch, text, Width };

        // norm1 / norm1_context: adaptive LayerNorms of both streams.
        var emb = a.Emb.View(batch, (blk.Attn2 != null ? 9 : 6) * Width);
        var embContext = a.EmbContext.View(batch, (blk.ContextPreOnly ? 2 : 6) * Width);
        var normX = a.NormX.View(imageShape);
        var normContext = a.NormContext.View(textShape);
        backend.Linear(tembSilu, blk.Norm1Linear, emb);
        observer?.Observe($"{name}.norm1.emb", emb);
        backend.LayerNormModulate(x, new(emb, ScaleMsa), new Modulation(emb, ShiftMsa), normX, NormEps);
        observer?.Observe($"{name}.norm1.x", normX);
        if (blk.Attn2 != null)
        {
            backend.LayerNormModulate(x, new(emb, ScaleMsa2), new Modulation(emb, ShiftMsa2), a.NormX2.View(imageShape), NormEps);
            observer?.Observe($"{name}.norm1.x2", a.NormX2.View(imageShape));
        }
        backend.Linear(tembSilu, blk.Norm1ContextLinear, embContext);
        observer?.Observe($"{name}.norm1_context.emb", embContext);
        if (blk.ContextPreOnly)
            backend.LayerNormModulate(context, new(embContext, ContinuousScale), new Modulation(embContext, ContinuousShift), normContext, NormEps);
        else
            backend.LayerNormModulate(context, new(embContext, ScaleMsa), new Modulation(embContext, ShiftMsa), normContext, NormEps);
        observer?.Observe($"{name}.norm1_context.x", normContext);

        // attn: joint attention over [image ; text], image keys/values through the RAS cache.
        var attnImage = a.AttnImage.View(imageShape);
        var attnContext = a.AttnContext.View(textShape);
        JointAttention(index, blk, normX, normContext, attnImage, attnContext, cacheMode, activePatches, observer);
        var projected = a.Projected.View(imageShape);
        backend.Linear(attnImage, blk.Attn.ToOut, projected);
        observer?.Observe($"{name}.attn.out_img", projected);
        backend.GatedResidual(x, projected, new(emb, GateMsa));

        // attn2 (SD3.5 dual attention): image-only self-attention among the tokens present.
        if (blk.Attn2 != null)
        {
            ImageAttention($"{name}.attn2", blk.Attn2, a.NormX2.View(imageShape), attnImage, 2 * index + 1, cacheMode, activePatches, observer);
            backend.Linear(attnImage, blk.Attn2.ToOut, projected);
            observer?.Observe($"{name}.attn2.out", projected);
            backend.GatedResidual(x, projected, new(emb, GateMsa2));
        }

        // ff: image feed-forward.
        backend.LayerNormModulate(x, new(emb, ScaleMlp), new Modulation(emb, ShiftMlp), normX, NormEps);
        FeedForward(blk.Ff, normX, projected);
        observer?.Observe($"{name}.ff.out", projected);
        backend.GatedResidual(x, projected, new(emb, GateMlp));
        observer?.Observe($"{name}.hidden_out", x);

        if (blk.ContextPreOnly) return;

        // Context stream update (absent in the last block, whose context output diffusers discards).
        var projectedContext = a.Projected.View(textShape);
        backend.Linear(attnContext, blk.AttnContext.ToAddOut!, projectedContext);
        observer?.Observe($"{name}.attn.out_ctx", projectedContext);
        backend.GatedResidual(context, projectedContext, new(embContext, GateMsa));
        backend.LayerNormModulate(context, new(embContext, ScaleMlp), new Modulation(embContext, ShiftMlp), normContext, NormEps);
        FeedForward(blk.FfContext!, normContext, projectedContext);
        observer?.Observe($"{name}.ff_context.out", projectedContext);
        backend.GatedResidual(context, projectedContext, new(embContext, GateMlp));
        observer?.Observe($"{name}.context_out", context);
    }

    void JointAttention(int index, JointBlockWeights blk, Tensor normX, Tensor normContext, Tensor attnImage, Tensor attnContext,
        KvCacheMode cacheMode, IndexList? activePatches, IActivationObserver? observer)
    {
        var a = setup.Arena;
        var (q, k, v) = (a.Q.View(normX.Shape), a.K.View(normX.Shape), a.V.View(normX.Shape));
        var (cq, ck, cv) = (a.ContextQ.View(normContext.Shape), a.ContextK.View(normContext.Shape), a.ContextV.View(normContext.Shape));
        Project(blk.Attn, normX, q, k, v);
        backend.Linear(normContext, blk.AttnContext.AddQProj, cq);
        backend.Linear(normContext, blk.AttnContext.AddKProj, ck);
        backend.Linear(normContext, blk.AttnContext.AddVProj, cv);
        if (blk.AttnContext.NormAddedQ != null) backend.RmsNormHeads(cq, blk.AttnContext.NormAddedQ, HeadDim, NormEps);
        if (blk.AttnContext.NormAddedK != null) backend.RmsNormHeads(ck, blk.AttnContext.NormAddedK, HeadDim, NormEps);

        var (imageKeys, imageValues) = setup.KvCache.Through(2 * index, k, v, cacheMode, activePatches);

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
        var (q, k, v) = (a.Q.View(input.Shape), a.K.View(input.Shape), a.V.View(input.Shape));
        Project(w, input, q, k, v);
        var (keys, values) = setup.KvCache.Through(cacheSlot, k, v, cacheMode, activePatches);
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

    /// <summary>to_q/to_k/to_v, then the per-head RMS qk-norm where the model has one.</summary>
    void Project(AttentionWeights w, Tensor input, Tensor q, Tensor k, Tensor v)
    {
        backend.Linear(input, w.ToQ, q);
        backend.Linear(input, w.ToK, k);
        backend.Linear(input, w.ToV, v);
        if (w.NormQ != null) backend.RmsNormHeads(q, w.NormQ, HeadDim, NormEps);
        if (w.NormK != null) backend.RmsNormHeads(k, w.NormK, HeadDim, NormEps);
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
        var emb = a.EmbContext.View(batch, 2 * Width);
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
