namespace RasNative.Runtime.Models.LuminaNext;

/// <summary>
/// The (linear_factor, ntk_factor) of diffusers' get_2d_rotary_pos_embed_lumina, and the table it gives: per
/// token (row r, col c) of the patch grid, head_dim/2 complex entries, entry 2j = exp(i·r·f_j) and entry
/// 2j+1 = exp(i·c·f_j) with f_j = 1 / (10000·ntk)^(4j/head_dim) / linear, everything in float32 as diffusers.
/// </summary>
public readonly record struct LuminaRopeScaling(double LinearFactor, double NtkFactor)
{
    public static LuminaRopeScaling None => new(1.0, 1.0);

    /// <summary>
    /// LuminaText2ImgPipeline's per-step choice: linear scaling while the model timestep is below the watershed,
    /// NTK scaling after, by scaling_factor = √(width·height) / (sample_size·8) in pixels.
    /// </summary>
    public static LuminaRopeScaling ForStep(float modelTimestep, double scalingWatershed, double scalingFactor) =>
        modelTimestep < scalingWatershed ? new(scalingFactor, 1.0) : new(1.0, scalingFactor);

    /// <summary>The table for an h × w grid as [h·w, head_dim] floats: head_dim/2 (cos, sin) pairs per row-major token.</summary>
    public float[] Table(int headDim, int height, int width)
    {
        int quarter = headDim / 4;
        var frequencies = new float[quarter];
        float theta = (float)(10000.0 * NtkFactor);
        for (int j = 0; j < quarter; j++)
        {
            // torch.arange(0, dim, 2)[: dim/2] / dim with dim = head_dim/2, then 1 / theta^e / linear, in float32.
            float exponent = 2f * j / (headDim / 2);
            frequencies[j] = 1f / MathF.Pow(theta, exponent) / (float)LinearFactor;
        }
        var table = new float[height * width * headDim];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                var entry = table.AsSpan((r * width + c) * headDim, headDim);
                for (int j = 0; j < quarter; j++)
                {
                    float rowAngle = r * frequencies[j], colAngle = c * frequencies[j];
                    (entry[4 * j], entry[4 * j + 1]) = (MathF.Cos(rowAngle), MathF.Sin(rowAngle));
                    (entry[4 * j + 2], entry[4 * j + 3]) = (MathF.Cos(colAngle), MathF.Sin(colAngle));
                }
            }
        return table;
    }
}
