namespace RasNative.Runtime.Models.Vae;

/// <summary>
/// PyTorch's channels-first images [C, H, W] ↔ the decoder's channels-last [H, W, C], on the host: only the latents
/// going in and the (three-channel) samples coming out cross it, so the device never transposes an activation.
/// </summary>
internal static class HostLayout
{
    public static float[] ToChannelsLast(ReadOnlySpan<float> image, int channels, int height, int width)
    {
        int plane = height * width;
        var result = new float[image.Length];
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < plane; p++)
                result[p * channels + c] = image[c * plane + p];
        return result;
    }

    public static float[] ToChannelsFirst(ReadOnlySpan<float> image, int channels, int height, int width)
    {
        int plane = height * width;
        var result = new float[image.Length];
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < channels; c++)
                result[c * plane + p] = image[p * channels + c];
        return result;
    }
}
