namespace RasNative.Sampler.Ras;

/// <summary>
/// A latent of <see cref="Height"/>×<see cref="Width"/> pixels cut into <see cref="PatchSize"/>² patches, numbered
/// row-major over the (Height/p)×(Width/p) grid as the DiT orders its image tokens; non-square grids included.
/// </summary>
public sealed record PatchGrid
{
    public PatchGrid(int height, int width, int patchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, patchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, patchSize);
        if (height % patchSize != 0 || width % patchSize != 0)
            throw new ArgumentException($"A {height}×{width} latent does not split into {patchSize}×{patchSize} patches.");
        Height = height;
        Width = width;
        PatchSize = patchSize;
    }

    public int Height { get; }
    public int Width { get; }
    public int PatchSize { get; }
    public int Rows => Height / PatchSize;
    public int Columns => Width / PatchSize;
    public int Patches => Rows * Columns;
    public int Pixels => Height * Width;
    public int PixelsPerPatch => PatchSize * PatchSize;

    /// <summary>
    /// Writes the flat latent-pixel ids (h·Width + w) of <paramref name="patch"/> into <paramref name="destination"/>.
    /// For p = 2 the order is the official one, (0,0), (1,1), (0,1), (1,0), i.e. [base, base+W+1, base+1, base+W]
    /// (the official code uses H as the row stride, which is the same for the square latents it supports; W is the
    /// stride that is right for any grid). For other p it is row-major within the patch. The order only fixes the
    /// layout of the cached velocities, since gathering and scattering use the same list.
    /// </summary>
    public void PixelsOf(int patch, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(patch, Patches);
        var origin = patch / Columns * PatchSize * Width + patch % Columns * PatchSize;
        if (PatchSize == 2)
        {
            destination[0] = origin;
            destination[1] = origin + Width + 1;
            destination[2] = origin + 1;
            destination[3] = origin + Width;
            return;
        }
        for (var dy = 0; dy < PatchSize; dy++)
            for (var dx = 0; dx < PatchSize; dx++)
                destination[dy * PatchSize + dx] = origin + dy * Width + dx;
    }

    /// <summary>The pixel ids of each patch in turn (<see cref="PixelsOf"/>), concatenated.</summary>
    public int[] PixelsOf(IReadOnlyList<int> patches)
    {
        var pixels = new int[patches.Count * PixelsPerPatch];
        for (var i = 0; i < patches.Count; i++)
            PixelsOf(patches[i], pixels.AsSpan(i * PixelsPerPatch, PixelsPerPatch));
        return pixels;
    }
}
