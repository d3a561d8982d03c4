using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

public sealed partial class LuminaNextTransformer
{
    /// <summary>The patch grid of one call: batch and grid rows/cols.</summary>
    readonly record struct LuminaGrid(int Batch, int Height, int Width)
    {
        public int Patches => Height * Width;
    }

    LuminaGrid Validate(LuminaNextInputs inputs, Tensor output)
    {
        var (latent, text, mask) = (inputs.HiddenStates, inputs.EncoderHiddenStates, inputs.EncoderMask);
        int p = Config.PatchSize;
        if (latent.Rank != 4 || latent.Dim(1) != Config.InChannels)
            throw new ModelInputException($"hidden_states: shape [{string.Join(", ", latent.Shape)}], expected [B, {Config.InChannels}, H, W]");
        int batch = latent.Dim(0), height = latent.Dim(2), width = latent.Dim(3);
        if (height % p != 0 || width % p != 0 || height == 0 || width == 0)
            throw new ModelInputException($"hidden_states: latent {height}x{width} is not a multiple of patch_size {p}");
        if (text.Rank != 3 || text.Dim(0) != batch || text.Dim(2) != Config.CrossAttentionDim || text.Dim(1) == 0)
            throw new ModelInputException($"encoder_hidden_states: shape [{string.Join(", ", text.Shape)}], expected [{batch}, L, {Config.CrossAttentionDim}]");
        if (mask.Rank != 2 || mask.Dim(0) != batch || mask.Dim(1) != text.Dim(1))
            throw new ModelInputException($"encoder_mask: shape [{string.Join(", ", mask.Shape)}], expected [{batch}, {text.Dim(1)}]");
        if (inputs.Timestep.Length != batch)
            throw new ModelInputException($"timestep: {inputs.Timestep.Length} values, expected {batch}");
        if (inputs.BaseSequenceLength is < 2)
            throw new ModelInputException($"base_sequence_length: {inputs.BaseSequenceLength}, expected at least 2 (it is a logarithm base)");
        if (output.Rank != 4 || output.Dim(0) != batch || output.Dim(1) != Config.OutChannels || output.Dim(2) != height || output.Dim(3) != width)
            throw new ModelInputException($"output: shape [{string.Join(", ", output.Shape)}], expected [{batch}, {Config.OutChannels}, {height}, {width}]");
        return new LuminaGrid(batch, height / p, width / p);
    }

    IndexList SubsetList(LuminaGrid grid, int[] patches)
    {
        if (patches.Length == 0) throw new ArgumentException("a RAS forward needs at least one active patch", nameof(patches));
        foreach (var id in patches)
            if ((uint)id >= (uint)grid.Patches) throw new ArgumentOutOfRangeException(nameof(patches), $"patch id {id} outside the {grid.Patches}-patch grid");
        return activeIds.Write(patches);
    }

    /// <summary>
    /// The RoPE rows [n, head_dim] of the tokens present: the grid's table (built on the host once per grid and
    /// scaling, as diffusers' image_rotary_emb corner), gathered at the active patches on RAS steps.
    /// </summary>
    Tensor RopeRows(LuminaGrid grid, LuminaRopeScaling scaling, IndexList? patches, int tokens)
    {
        if (!ropeTables.TryGetValue((grid.Height, grid.Width, scaling), out var table))
        {
            table = backend.Upload(scaling.Table(HeadDim, grid.Height, grid.Width), grid.Patches, HeadDim);
            ropeTables[(grid.Height, grid.Width, scaling)] = table;
        }
        if (patches == null) return table;
        var rows = arena!.RopeRows.View(tokens, HeadDim);
        backend.GatherRows(table.View(1, grid.Patches, HeadDim), patches, rows.View(1, tokens, HeadDim));
        return rows;
    }

    /// <summary>patch_embedder: patchify in (c, py, px) order + Linear; Lumina adds no absolute position embedding.</summary>
    void EmbedPatches(Tensor latent, IndexList? patches, Tensor x, IActivationObserver? observer)
    {
        int batch = x.Dim(0), tokens = x.Dim(1), p = Config.PatchSize;
        var patchRows = arena!.Patches.View(batch, tokens, Config.InChannels * p * p);
        backend.Patchify(latent, p, patches, patchRows);
        backend.Linear(patchRows, weights.PatchEmbedderProj, x);
        observer?.Observe("patch_tokens", x);
    }

    /// <summary>
    /// time_caption_embed: temb = MLP(sinusoid(t)) + Linear(LayerNorm(masked mean of the caption)); leaves
    /// silu(temb), the input of every adaptive norm.
    /// </summary>
    void EmbedConditioning(LuminaNextInputs inputs, Tensor tembSilu, IActivationObserver? observer)
    {
        var a = arena!;
        int batch = tembSilu.Dim(0), e = tembSilu.Dim(1), dc = Config.CrossAttentionDim;
        var proj = a.TimestepProj.View(batch, TimestepFeatures);
        var hidden = a.Hidden.View(batch, e);
        var timestepEmb = a.TimestepEmb.View(batch, e);
        var pooled = a.CaptionPooled.View(batch, dc);
        var captionEmb = a.CaptionEmb.View(batch, e);
        var temb = a.Temb.View(batch, e);
        backend.TimestepEmbedding(inputs.Timestep, proj);
        backend.Linear(proj, weights.TimestepEmbedder.Linear1, hidden, Backends.Activation.Silu);
        backend.Linear(hidden, weights.TimestepEmbedder.Linear2, timestepEmb);
        backend.MaskedMeanRows(inputs.EncoderHiddenStates, inputs.EncoderMask, pooled);
        backend.LayerNorm(pooled, weights.CaptionNorm.Weight, weights.CaptionNorm.Bias, pooled, CaptionNormEps);
        backend.Linear(pooled, weights.CaptionProj, captionEmb);
        backend.Add(timestepEmb, captionEmb, temb);
        backend.Silu(temb, tembSilu);
        observer?.Observe("timestep_proj", proj);
        observer?.Observe("timestep_emb", timestepEmb);
        observer?.Observe("caption_emb", captionEmb);
        observer?.Observe("temb", temb);
    }
}
