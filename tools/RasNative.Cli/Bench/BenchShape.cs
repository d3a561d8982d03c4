namespace RasNative.Cli.Bench;

/// <summary>The bench's requested shape: batch, text tokens, and the image size in pixels (null: the model's default).</summary>
public sealed record BenchShape(int Batch, int TextTokens, int? WidthPixels, int? HeightPixels)
{
    /// <summary>Whether --text-len was given (a text encoder then runs that many tokens instead of its own default).</summary>
    public bool TextTokensGiven { get; init; }

    /// <summary>Latent [batch, channels, H/8, W/8] after checking the size is a multiple of 8 · patch.</summary>
    public int[] Latent(int channels, int patchSize, int sampleSize)
    {
        int multiple = 8 * patchSize;
        int w = WidthPixels ?? sampleSize * 8, h = HeightPixels ?? sampleSize * 8;
        if (w <= 0 || h <= 0 || w % multiple != 0 || h % multiple != 0)
            throw new Infrastructure.UsageException($"--width {w} / --height {h}: each must be a positive multiple of {multiple} (8 · patch_size)");
        return [Batch, channels, h / 8, w / 8];
    }

    /// <summary>Deterministic values in a N(0,1)-like range for random inputs.</summary>
    public static float[] RandomValues(System.Random random, long count) =>
        [.. Enumerable.Range(0, checked((int)count)).Select(_ => (float)(random.NextDouble() * 2 - 1) * 1.7f)];
}
