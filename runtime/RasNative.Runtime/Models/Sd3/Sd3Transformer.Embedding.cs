using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

public sealed partial class Sd3Transformer
{
    LatentGrid Validate(Sd3Inputs inputs, Tensor output)
    {
        var grid = ForwardInputs.Latent(inputs.HiddenStates, Config.InChannels, Config.PatchSize);
        int m = Config.PosEmbedMaxSize;
        if (grid.Rows > m || grid.Cols > m)
            throw new ModelInputException($"hidden_states: patch grid {grid.Rows}x{grid.Cols} exceeds pos_embed_max_size {m}");
        ForwardInputs.Sequence("encoder_hidden_states", inputs.EncoderHiddenStates, grid.Batch, Config.JointAttentionDim);
        var pooled = inputs.PooledProjections;
        if (pooled.Rank != 2 || pooled.Dim(0) != grid.Batch || pooled.Dim(1) != Config.PooledProjectionDim)
            throw new ModelInputException($"pooled_projections: shape {ForwardInputs.Text(pooled)}, expected [{grid.Batch}, {Config.PooledProjectionDim}]");
        ForwardInputs.Timestep(inputs.Timestep, grid.Batch);
        ForwardInputs.Output(output, grid, Config.OutChannels);
        return grid;
    }

    /// <summary>The positional rows of the whole grid, uploaded once per grid size.</summary>
    IndexList DensePosRows(LatentGrid grid)
    {
        if (!densePosRows.TryGetValue((grid.Rows, grid.Cols), out var rows))
        {
            rows = backend.UploadIndices(PosRowsOf(grid, [.. Enumerable.Range(0, grid.Patches)]));
            densePosRows[(grid.Rows, grid.Cols)] = rows;
        }
        return rows;
    }

    /// <summary>Rows of the M×M sincos table for the centre-cropped grid (diffusers' cropped_pos_embed).</summary>
    int[] PosRowsOf(LatentGrid grid, int[] patches)
    {
        int m = Config.PosEmbedMaxSize, top = (m - grid.Rows) / 2, left = (m - grid.Cols) / 2;
        return [.. patches.Select(id => (top + id / grid.Cols) * m + left + id % grid.Cols)];
    }

    /// <summary>pos_embed: patchify + conv-as-linear, then the positional rows of the tokens present.</summary>
    void EmbedPatches(Tensor latent, IndexList? patches, IndexList posRows, Tensor x, IActivationObserver? observer)
    {
        int batch = x.Dim(0), tokens = x.Dim(1), p = Config.PatchSize;
        var patchRows = setup.Arena.Patches.View(batch, tokens, Config.InChannels * p * p);
        backend.Patchify(latent, p, patches, patchRows);
        backend.Linear(patchRows, weights.PosEmbedProj, x);
        if (observer != null)
        {
            observer.Observe("patch_tokens", x);
            var crop = setup.Arena.Projected.View(1, tokens, Width);
            backend.GatherRows(weights.PosEmbedTable.View(1, weights.PosEmbedTable.Dim(0), Width), posRows, crop);
            observer.Observe("pos_embed_cropped", crop);
        }
        backend.AddRows(x, weights.PosEmbedTable, posRows);
        observer?.Observe("x_embedded", x);
    }

    /// <summary>time_text_embed: temb = MLP(sinusoid(t)) + MLP(pooled); leaves silu(temb), shared by every AdaLN.</summary>
    void EmbedConditioning(Sd3Inputs inputs, Tensor tembSilu, IActivationObserver? observer)
    {
        var a = setup.Arena;
        int batch = tembSilu.Dim(0);
        var proj = a.TimestepProj.View(batch, TimestepFeatures);
        var hidden = a.Hidden.View(batch, Width);
        var timestepEmb = a.TimestepEmb.View(batch, Width);
        var pooledEmb = a.PooledEmb.View(batch, Width);
        var temb = a.Temb.View(batch, Width);
        backend.TimestepEmbedding(inputs.Timestep, proj);
        backend.Linear(proj, weights.TimestepEmbedder.Linear1, hidden, Backends.Activation.Silu);
        backend.Linear(hidden, weights.TimestepEmbedder.Linear2, timestepEmb);
        backend.Linear(inputs.PooledProjections, weights.TextEmbedder.Linear1, hidden, Backends.Activation.Silu);
        backend.Linear(hidden, weights.TextEmbedder.Linear2, pooledEmb);
        backend.Add(timestepEmb, pooledEmb, temb);
        backend.Silu(temb, tembSilu);
        observer?.Observe("timestep_proj", proj);
        observer?.Observe("timestep_emb", timestepEmb);
        observer?.Observe("pooled_emb", pooledEmb);
        observer?.Observe("temb", temb);
    }
}
