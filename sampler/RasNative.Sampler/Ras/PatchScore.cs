namespace RasNative.Sampler.Ras;

/// <summary>
/// The per-patch statistic the selection ranks (spec §5), computed with the arithmetic of the official code on
/// PyTorch's CPU kernels so that it matches the reference scores bit for bit (checked against the Lumina traces'
/// <c>sel_score</c>): the per-pixel channel statistic, then the mean over each patch's columns and then its rows.
/// </summary>
public static class PatchScore
{
    /// <summary>Scores of all patches (row-major) from the Euler increment <paramref name="increment"/> laid out [C, H, W].</summary>
    public static float[] Compute(ReadOnlySpan<float> increment, int channels, PatchGrid grid, RasMetric metric)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, metric == RasMetric.Std ? 2 : 1);
        if (increment.Length != channels * grid.Pixels)
            throw new ArgumentException(
                $"Expected {channels}×{grid.Height}×{grid.Width} values, got {increment.Length}.", nameof(increment));

        var perPixel = new float[grid.Pixels];
        for (var pixel = 0; pixel < perPixel.Length; pixel++)
            perPixel[pixel] = metric == RasMetric.Std
                ? ChannelStd(increment, channels, grid.Pixels, pixel)
                : ChannelNorm(increment, channels, grid.Pixels, pixel);
        return PatchMeans(perPixel, grid);
    }

    // torch.std over a strided dim runs a Welford update in double precision and rounds the root to float once.
    static float ChannelStd(ReadOnlySpan<float> values, int channels, int stride, int pixel)
    {
        var mean = 0.0;
        var m2 = 0.0;
        for (var c = 0; c < channels; c++)
        {
            double x = values[c * stride + pixel];
            var delta = x - mean;
            mean += delta / (c + 1);
            m2 += delta * (x - mean);
        }
        return (float)Math.Sqrt(m2 / (channels - 1));
    }

    // torch.norm(p=2) over a strided dim accumulates x·x in float; GCC fuses that into an FMA in torch's AVX2 build.
    static float ChannelNorm(ReadOnlySpan<float> values, int channels, int stride, int pixel)
    {
        var sum = 0f;
        for (var c = 0; c < channels; c++)
        {
            var x = values[c * stride + pixel];
            sum = MathF.FusedMultiplyAdd(x, x, sum);
        }
        return MathF.Sqrt(sum);
    }

    // The official view(Hp, p, Wp, p).transpose(-2, -3).mean(-1).mean(-1): each row of a patch is averaged over its
    // columns, then those row means are averaged; each mean is a left-to-right float sum divided by p.
    static float[] PatchMeans(float[] perPixel, PatchGrid grid)
    {
        var p = grid.PatchSize;
        var scores = new float[grid.Patches];
        for (var patch = 0; patch < scores.Length; patch++)
        {
            var origin = patch / grid.Columns * p * grid.Width + patch % grid.Columns * p;
            var rowsSum = 0f;
            for (var dy = 0; dy < p; dy++)
            {
                var rowSum = 0f;
                for (var dx = 0; dx < p; dx++)
                    rowSum += perPixel[origin + dy * grid.Width + dx];
                rowsSum += rowSum / p;
            }
            scores[patch] = rowsSum / p;
        }
        return scores;
    }
}
