namespace RasNative.Sampler.Ras;

/// <summary>
/// The velocities of the skipped pixels (official <c>cached_scaled_noise</c>, which despite its name holds the
/// filled, unscaled model output): captured after each selection, written back into the next RAS step's model
/// output before its Euler update. Arrays are laid out [C, H, W]; the cache holds [C, pixels].
/// </summary>
public sealed class VelocityCache
{
    readonly int channels;
    readonly int pixelsPerChannel;
    int[] pixels = [];
    float[] values = [];

    public VelocityCache(int channels, PatchGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        this.channels = channels;
        pixelsPerChannel = grid.Pixels;
    }

    /// <summary>Pixel ids currently cached (flat h·W + w), in capture order.</summary>
    public IReadOnlyList<int> Pixels => pixels;

    /// <summary>Stores the values of <paramref name="cachedPixels"/> of every channel of <paramref name="velocity"/>.</summary>
    public void Capture(ReadOnlySpan<float> velocity, IReadOnlyList<int> cachedPixels)
    {
        CheckLength(velocity.Length);
        pixels = [.. cachedPixels];
        values = new float[channels * pixels.Length];
        for (var c = 0; c < channels; c++)
            for (var i = 0; i < pixels.Length; i++)
                values[c * pixels.Length + i] = velocity[c * pixelsPerChannel + pixels[i]];
    }

    /// <summary>Overwrites the cached pixels of <paramref name="velocity"/> with the stored values.</summary>
    public void Fill(Span<float> velocity)
    {
        CheckLength(velocity.Length);
        for (var c = 0; c < channels; c++)
            for (var i = 0; i < pixels.Length; i++)
                velocity[c * pixelsPerChannel + pixels[i]] = values[c * pixels.Length + i];
    }

    void CheckLength(int length)
    {
        if (length != channels * pixelsPerChannel)
            throw new ArgumentException($"Expected {channels}×{pixelsPerChannel} velocity values, got {length}.");
    }
}
