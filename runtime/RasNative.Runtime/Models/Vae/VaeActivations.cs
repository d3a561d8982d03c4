using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Vae;

/// <summary>
/// The decoder's arena for one image of up to Height × Width latent pixels (a batch decodes image by image, as
/// diffusers' use_slicing does: no op mixes images, so results are the same). Three image buffers, each as large
/// as the largest activation, rotate through the roles current / scratch / scratch level by level, so memory is
/// that of three of the biggest activations (SD3 at 1024²: the 256-channel 1024² maps) rather than one per layer;
/// the mid block's attention adds its q, k, v at the latent size. A smaller image uses leading views.
/// </summary>
internal sealed class VaeActivations
{
    public VaeActivations(ITensorAllocator backend, AutoencoderKlConfig config, int height, int width)
    {
        (Height, Width) = (height, width);
        int top = config.BlockOutChannels[^1], scale = config.SpatialScale;
        long latentPixels = (long)height * width;
        long largest = LargestImage(config, height, width);
        Latent = backend.Allocate(checked((int)(latentPixels * config.LatentChannels)));
        Image0 = backend.Allocate(checked((int)largest));
        Image1 = backend.Allocate(checked((int)largest));
        Image2 = backend.Allocate(checked((int)largest));
        if (config.MidBlockAddAttention)
        {
            Query = backend.Allocate(checked((int)(latentPixels * top)));
            Key = backend.Allocate(checked((int)(latentPixels * top)));
            Value = backend.Allocate(checked((int)(latentPixels * top)));
        }
        Output = backend.Allocate(checked((int)(latentPixels * scale * scale * config.OutChannels)));
    }

    public int Height { get; }
    public int Width { get; }
    public Tensor Latent { get; }
    public Tensor Image0 { get; }
    public Tensor Image1 { get; }
    public Tensor Image2 { get; }
    public Tensor? Query { get; }
    public Tensor? Key { get; }
    public Tensor? Value { get; }
    public Tensor Output { get; }

    /// <summary>
    /// Elements of the largest activation one image produces: every level's input and output width at its resolution,
    /// the upsampled maps, the latent-sized post_quant_conv output and norm_out before conv_out.
    /// </summary>
    public static long LargestImage(AutoencoderKlConfig config, int height, int width)
    {
        var channels = config.BlockOutChannels.Reverse().ToArray();
        long pixels = (long)height * width, largest = pixels * Math.Max(config.LatentChannels, channels[0]);
        for (int i = 0; i < channels.Length; i++)
        {
            largest = Math.Max(largest, pixels * Math.Max(channels[Math.Max(0, i - 1)], channels[i]));
            if (i < channels.Length - 1) pixels *= 4;
        }
        return largest;
    }
}
