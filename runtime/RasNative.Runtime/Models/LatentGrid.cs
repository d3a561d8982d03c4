namespace RasNative.Runtime.Models;

/// <summary>The patch grid of one forward: batch, latent height × width, and the Rows × Cols grid of p × p patches.</summary>
internal readonly record struct LatentGrid(int Batch, int Height, int Width, int PatchSize)
{
    public int Rows => Height / PatchSize;

    public int Cols => Width / PatchSize;

    public int Patches => Rows * Cols;
}
