namespace RasNative.Runtime.Models.Vae;

/// <summary>
/// Decoding an image in overlapping latent tiles of at most <see cref="TileSize"/>² latent pixels, <see cref="Overlap"/>
/// shared with each neighbour, so the decoder's memory is that of one tile whatever the image size. Tiles start every
/// TileSize − Overlap latent pixels, the last one flush with the image edge; their decoded pixels are blended on the
/// host with weights that ramp linearly across each overlap (per axis, multiplied), normalised by the weights'
/// sum, so every pixel is a convex combination and an overlap region cross-fades from one tile to the next. An image
/// no larger than one tile is decoded whole, unchanged. Tiled output is not the untiled output: each tile's
/// GroupNorms see only the tile's statistics and its mid-block attention only the tile's positions (docs/vae.md
/// gives the measured difference).
/// </summary>
public sealed record VaeTiling
{
    public VaeTiling(int tileSize, int overlap)
    {
        if (tileSize < 1 || overlap < 0 || overlap >= tileSize)
            throw new ArgumentOutOfRangeException(nameof(overlap), $"tiles of {tileSize} latent pixels with overlap {overlap}: need 0 ≤ overlap < tile size");
        (TileSize, Overlap) = (tileSize, overlap);
    }

    /// <summary>The CLI's --vae-tiling: 64-pixel latent tiles (512 px for SD3's VAE) sharing 16 (128 px).</summary>
    public static VaeTiling Default { get; } = new(64, 16);

    public int TileSize { get; }

    public int Overlap { get; }

    /// <summary>The largest tile the decoder sees for an image of <paramref name="height"/> × <paramref name="width"/> latent pixels.</summary>
    public (int Height, int Width) LargestTile(int height, int width) => (Math.Min(TileSize, height), Math.Min(TileSize, width));

    /// <summary>One image: latent [C, h, w] → sample [out, h·s, w·s], <paramref name="decodeTile"/> decoding each cropped latent.</summary>
    internal float[] Decode(ReadOnlySpan<float> latent, int channels, int height, int width, int outChannels, int scale,
        Func<float[], int, int, float[]> decodeTile)
    {
        int[] rows = Starts(height), columns = Starts(width);
        if (rows.Length == 1 && columns.Length == 1)
            return decodeTile(latent.ToArray(), height, width);

        int outHeight = height * scale, outWidth = width * scale, outPlane = outHeight * outWidth;
        var sum = new double[(long)outChannels * outPlane];
        var weightSum = new double[outPlane];
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < columns.Length; c++)
            {
                int tileHeight = Math.Min(TileSize, height), tileWidth = Math.Min(TileSize, width);
                var tile = decodeTile(Crop(latent, channels, height, width, rows[r], columns[c], tileHeight, tileWidth), tileHeight, tileWidth);
                var rowWeights = Ramp(rows, r, tileHeight, scale);
                var columnWeights = Ramp(columns, c, tileWidth, scale);
                int tilePlane = tileHeight * scale * tileWidth * scale;
                for (int y = 0; y < tileHeight * scale; y++)
                    for (int x = 0; x < tileWidth * scale; x++)
                    {
                        double weight = rowWeights[y] * columnWeights[x];
                        int pixel = (rows[r] * scale + y) * outWidth + columns[c] * scale + x;
                        weightSum[pixel] += weight;
                        for (int o = 0; o < outChannels; o++)
                            sum[(long)o * outPlane + pixel] += weight * tile[o * tilePlane + y * tileWidth * scale + x];
                    }
            }
        var result = new float[sum.Length];
        for (long i = 0; i < sum.Length; i++) result[i] = (float)(sum[i] / weightSum[i % outPlane]);
        return result;
    }

    /// <summary>Tile starts along an axis: every TileSize − Overlap, the last flush with the end.</summary>
    internal int[] Starts(int size)
    {
        if (size <= TileSize) return [0];
        var starts = new List<int>();
        for (int start = 0; start + TileSize < size; start += TileSize - Overlap) starts.Add(start);
        starts.Add(size - TileSize);
        return [.. starts];
    }

    /// <summary>
    /// Blend weights of tile <paramref name="index"/> along one axis, per output pixel: rising linearly over the
    /// overlap with the previous tile, falling over the overlap with the next, 1 elsewhere (the smaller where both apply).
    /// </summary>
    static double[] Ramp(int[] starts, int index, int length, int scale)
    {
        var weights = new double[length * scale];
        int start = starts[index];
        int leading = index > 0 ? (starts[index - 1] + length - start) * scale : 0;
        int trailing = index < starts.Length - 1 ? (start + length - starts[index + 1]) * scale : 0;
        for (int p = 0; p < weights.Length; p++)
        {
            double weight = 1;
            if (p < leading) weight = Math.Min(weight, (p + 0.5) / leading);
            if (p >= weights.Length - trailing) weight = Math.Min(weight, (weights.Length - p - 0.5) / trailing);
            weights[p] = weight;
        }
        return weights;
    }

    static float[] Crop(ReadOnlySpan<float> latent, int channels, int height, int width, int top, int left, int tileHeight, int tileWidth)
    {
        var tile = new float[channels * tileHeight * tileWidth];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < tileHeight; y++)
                latent.Slice((c * height + top + y) * width + left, tileWidth).CopyTo(tile.AsSpan((c * tileHeight + y) * tileWidth, tileWidth));
        return tile;
    }
}
