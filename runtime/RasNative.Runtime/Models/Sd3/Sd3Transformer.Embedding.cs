using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

public sealed partial class Sd3Transformer
{
    /// <summary>The patch grid of one call: batch, grid rows/cols and the pos-embed crop's corner.</summary>
    readonly record struct Sd3Grid(int Batch, int Height, int Width, int Top, int Left)
    {
        public int Patches => Height * Width;
    }

    Sd3Grid Validate(Sd3Inputs inputs, Tensor output)
    {
        var (latent, text, pooled) = (inputs.HiddenStates, inputs.EncoderHiddenStates, inputs.PooledProjections);
        int p = Config.PatchSize, m = Config.PosEmbedMaxSize;
        if (latent.Rank != 4 || latent.Dim(1) != Config.InChannels)
            throw new ModelInputException($"hidden_states: shape [{string.Join(", ", latent.Shape)}], expected [B, {Config.InChannels}, H, W]");
        int batch = latent.Dim(0), height = latent.Dim(2), width = latent.Dim(3);
        if (height % p != 0 || width % p != 0 || height == 0 || width == 0)
            throw new ModelInputException($"hidden_states: latent {height}x{width} is not a multiple of patch_size {p}");
        int h = height / p, w = width / p;
        if (h > m || w > m)
            throw new ModelInputException($"hidden_states: patch grid {h}x{w} exceeds pos_embed_max_size {m}");
        if (text.Rank != 3 || text.Dim(0) != batch || text.Dim(2) != Config.JointAttentionDim || text.Dim(1) == 0)
            throw new ModelInputException($"encoder_hidden_states: shape [{string.Join(", ", text.Shape)}], expected [{batch}, L, {Config.JointAttentionDim}]");
        if (pooled.Rank != 2 || pooled.Dim(0) != batch || pooled.Dim(1) != Config.PooledProjectionDim)
            throw new ModelInputException($"pooled_projections: shape [{string.Join(", ", pooled.Shape)}], expected [{batch}, {Config.PooledProjectionDim}]");
        if (inputs.Timestep.Length != batch)
            throw new ModelInputException($"timestep: {inputs.Timestep.Length} values, expected {batch}");
        if (output.Rank != 4 || output.Dim(0) != batch || output.Dim(1) != Config.OutChannels || output.Dim(2) != height || output.Dim(3) != width)
            throw new ModelInputException($"output: shape [{string.Join(", ", output.Shape)}], expected [{batch}, {Config.OutChannels}, {height}, {width}]");
        return new Sd3Grid(batch, h, w, (m - h) / 2, (m - w) / 2);
    }

    (IndexList Patches, IndexList PosRows) DenseGrid(Sd3Grid grid)
    {
        if (!denseGrids.TryGetValue((grid.Height, grid.Width), out var lists))
        {
            var all = Enumerable.Range(0, grid.Patches).ToArray();
            lists = (backend.UploadIndices(all), backend.UploadIndices(PosRowsOf(grid, all)));
            denseGrids[(grid.Height, grid.Width)] = lists;
        }
        return lists;
    }

    (IndexList Patches, IndexList PosRows) SubsetGrid(Sd3Grid grid, int[] patches)
    {
        foreach (var id in patches)
            if ((uint)id >= (uint)grid.Patches) throw new ArgumentOutOfRangeException(nameof(patches), $"patch id {id} outside the {grid.Patches}-patch grid");
        return (activeIds.Write(patches), activePosRows.Write(PosRowsOf(grid, patches)));
    }

    /// <summary>Rows of the M×M sincos table for the centre-cropped grid (diffusers' cropped_pos_embed).</summary>
    int[] PosRowsOf(Sd3Grid grid, int[] patches) =>
        [.. patches.Select(id => (grid.Top + id / grid.Width) * Config.PosEmbedMaxSize + grid.Left + id % grid.Width)];

    /// <summary>pos_embed: patchify + conv-as-linear, then the positional rows of the tokens present.</summary>
    void EmbedPatches(Tensor latent, IndexList? patches, IndexList posRows, Tensor x, IActivationObserver? observer)
    {
        int batch = x.Dim(0), tokens = x.Dim(1), p = Config.PatchSize;
        var patchRows = arena!.Patches.View(batch, tokens, Config.InChannels * p * p);
        backend.Patchify(latent, p, patches, patchRows);
        backend.Linear(patchRows, weights.PosEmbedProj, x);
        if (observer != null)
        {
            observer.Observe("patch_tokens", x);
            var crop = arena.Projected.View(1, tokens, Width);
            backend.GatherRows(weights.PosEmbedTable.View(1, weights.PosEmbedTable.Dim(0), Width), posRows, crop);
            observer.Observe("pos_embed_cropped", crop);
        }
        backend.AddRows(x, weights.PosEmbedTable, posRows);
        observer?.Observe("x_embedded", x);
    }

    /// <summary>time_text_embed: temb = MLP(sinusoid(t)) + MLP(pooled); leaves silu(temb), shared by every AdaLN.</summary>
    void EmbedConditioning(Sd3Inputs inputs, Tensor tembSilu, IActivationObserver? observer)
    {
        var a = arena!;
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
