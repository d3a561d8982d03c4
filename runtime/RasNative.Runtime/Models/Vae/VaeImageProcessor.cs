namespace RasNative.Runtime.Models.Vae;

/// <summary>
/// diffusers' VaeImageProcessor.postprocess for the decoder's [-1, 1] output, in float32 as it computes it:
/// (x·0.5 + 0.5) clamped to [0, 1] (output_type "pt"), then for PIL / numpy output permuted to [B, H, W, C] and
/// (v·255) rounded half to even (numpy's round) into bytes.
/// </summary>
public static class VaeImageProcessor
{
    /// <summary>The float image [B, C, H, W] in [0, 1].</summary>
    public static float[] ToUnitRange(ReadOnlySpan<float> sample)
    {
        var image = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++) image[i] = Math.Clamp(sample[i] * 0.5f + 0.5f, 0f, 1f);
        return image;
    }

    /// <summary>Image <paramref name="index"/> of sample [B, C, H, W] as interleaved bytes [H, W, C] (the PIL image's pixels).</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> sample, int index, int channels, int height, int width)
    {
        int plane = height * width;
        var image = ToUnitRange(sample.Slice(index * channels * plane, channels * plane));
        var pixels = new byte[image.Length];
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < plane; p++)
                pixels[p * channels + c] = (byte)MathF.Round(image[c * plane + p] * 255f, MidpointRounding.ToEven);
        return pixels;
    }
}
