using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

public sealed partial class LuminaNextTransformer
{
    LatentGrid Validate(LuminaNextInputs inputs, Tensor output)
    {
        var grid = ForwardInputs.Latent(inputs.HiddenStates, Config.InChannels, Config.PatchSize);
        var (text, mask) = (inputs.EncoderHiddenStates, inputs.EncoderMask);
        ForwardInputs.Sequence("encoder_hidden_states", text, grid.Batch, Config.CrossAttentionDim);
        if (mask.Rank != 2 || mask.Dim(0) != grid.Batch || mask.Dim(1) != text.Dim(1))
            throw new ModelInputException($"encoder_mask: shape {ForwardInputs.Text(mask)}, expected [{grid.Batch}, {text.Dim(1)}]");
        ForwardInputs.Timestep(inputs.Timestep, grid.Batch);
        if (inputs.BaseSequenceLength is < 2)
            throw new ModelInputException($"base_sequence_length: {inputs.BaseSequenceLength}, expected at least 2 (it is a logarithm base)");
        ForwardInputs.Output(output, grid, Config.OutChannels);
        return grid;
    }

    /// <summary>
    /// The RoPE rows [n, head_dim] of the tokens present: the grid's table (built on the host once per grid and
    /// scaling, as diffusers' image_rotary_emb corner), gathered at the active patches on RAS steps.
    /// </summary>
    Tensor RopeRows(LatentGrid grid, LuminaRopeScaling scaling, IndexList? patches, int tokens)
    {
        if (!ropeTables.TryGetValue((grid.Rows, grid.Cols, scaling), out var table))
        {
            table = backend.Upload(scaling.Table(HeadDim, grid.Rows, grid.Cols), grid.Patches, HeadDim);
            ropeTables[(grid.Rows, grid.Cols, scaling)] = table;
        }
        if (patches == null) return table;
        var rows = setup.Arena.RopeRows.View(tokens, HeadDim);
        backend.GatherRows(table.View(1, grid.Patches, HeadDim), patches, rows.View(1, tokens, HeadDim));
        return rows;
    }

    /// <summary>patch_embedder: patchify in (c, py, px) order + Linear; Lumina adds no absolute position embedding.</summary>
    void EmbedPatches(Tensor latent, IndexList? patches, Tensor x, IActivationObserver? observer)
    {
        int batch = x.Dim(0), tokens = x.Dim(1), p = Config.PatchSize;
        var patchRows = setup.Arena.Patches.View(batch, tokens, Config.InChannels * p * p);
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
        var a = setup.Arena;
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
