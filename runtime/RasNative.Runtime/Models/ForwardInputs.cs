using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// The input checks both patch transformers share, in diffusers' argument names; each failure is one
/// <see cref="ModelInputException"/> line naming the input and the shape expected.
/// </summary>
internal static class ForwardInputs
{
    /// <summary>hidden_states [B, C, H, W] with C = in_channels and H, W non-zero multiples of patch_size.</summary>
    public static LatentGrid Latent(Tensor latent, int inChannels, int patchSize)
    {
        if (latent.Rank != 4 || latent.Dim(1) != inChannels)
            throw new ModelInputException($"hidden_states: shape {Text(latent)}, expected [B, {inChannels}, H, W]");
        int height = latent.Dim(2), width = latent.Dim(3);
        if (height % patchSize != 0 || width % patchSize != 0 || height == 0 || width == 0)
            throw new ModelInputException($"hidden_states: latent {height}x{width} is not a multiple of patch_size {patchSize}");
        return new LatentGrid(latent.Dim(0), height, width, patchSize);
    }

    /// <summary>A token sequence [B, L, width] with at least one token (encoder_hidden_states).</summary>
    public static void Sequence(string name, Tensor sequence, int batch, int width)
    {
        if (sequence.Rank != 3 || sequence.Dim(0) != batch || sequence.Dim(2) != width || sequence.Dim(1) == 0)
            throw new ModelInputException($"{name}: shape {Text(sequence)}, expected [{batch}, L, {width}]");
    }

    public static void Timestep(float[] timestep, int batch)
    {
        if (timestep.Length != batch)
            throw new ModelInputException($"timestep: {timestep.Length} values, expected {batch}");
    }

    /// <summary>The output [B, out_channels, H, W] of the latent's batch and size.</summary>
    public static void Output(Tensor output, LatentGrid grid, int outChannels)
    {
        if (output.Rank != 4 || output.Dim(0) != grid.Batch || output.Dim(1) != outChannels || output.Dim(2) != grid.Height || output.Dim(3) != grid.Width)
            throw new ModelInputException($"output: shape {Text(output)}, expected [{grid.Batch}, {outChannels}, {grid.Height}, {grid.Width}]");
    }

    public static string Text(Tensor t) => "[" + string.Join(", ", t.Shape) + "]";
}
