using StbImageWriteSharp;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// How often each patch was computed over a run (the paper's drop-count picture): one cell per patch, dark =
/// rarely computed, bright = every step; written as PNG.
/// </summary>
public sealed class PatchHeatmap(int rows, int columns)
{
    const int CellPixels = 8;
    readonly int[] computed = new int[rows * columns];
    int steps;

    public void Record(int[]? activePatches)
    {
        steps++;
        if (activePatches == null)
            for (int i = 0; i < computed.Length; i++) computed[i]++;
        else
            foreach (var patch in activePatches) computed[patch]++;
    }

    public void WritePng(Stream stream)
    {
        int width = columns * CellPixels, height = rows * CellPixels;
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double share = steps == 0 ? 0 : (double)computed[y / CellPixels * columns + x / CellPixels] / steps;
                var (r, g, b) = Colour(share);
                int o = (y * width + x) * 3;
                (pixels[o], pixels[o + 1], pixels[o + 2]) = (r, g, b);
            }
        new ImageWriter().WritePng(pixels, width, height, ColorComponents.RedGreenBlue, stream);
    }

    // A dark-blue → yellow ramp: readable in print and for the common colour-vision deficiencies.
    static (byte, byte, byte) Colour(double share) =>
        ((byte)(255 * share), (byte)(40 + 200 * share), (byte)(120 * (1 - share)));
}
