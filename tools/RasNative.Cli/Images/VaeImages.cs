using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Vae;

namespace RasNative.Cli.Images;

/// <summary>
/// The VAE side of `decode` and of `generate` with a PNG output: the VAE found in the model source (or --vae), the
/// latent scale it sets, the checks and memory estimate made before any work, the decode (with the pipelines'
/// latent unscaling), and the image files.
/// </summary>
public sealed class VaeImages
{
    /// <summary>Pixels per latent pixel where the model path has no VAE (a latents output): that of every released SD3 / SDXL VAE.</summary>
    public const int DefaultSpatialScale = 8;

    // Per CPU thread, the convolution's im2col band (CpuConvolution) is at most this much.
    const long Im2colBandBytes = 8L << 20;

    readonly long decoderParameters;

    VaeImages(ModelComponent component, AutoencoderKlConfig config, long decoderParameters) =>
        (Component, Config, this.decoderParameters) = (component, config, decoderParameters);

    public ModelComponent Component { get; }

    public AutoencoderKlConfig Config { get; }

    /// <summary>
    /// The VAE of the model path, else of --vae, with its config and weights found (a missing weights file is refused
    /// here, before any work); when not <paramref name="required"/>, null if neither has one.
    /// </summary>
    public static VaeImages? Find(ModelSource source, bool required)
    {
        var component = required ? source.Get(PipelineComponent.Vae) : source.Find(PipelineComponent.Vae);
        if (component == null) return null;
        if (component.ClassName != AutoencoderKlConfig.ClassName)
            throw new UsageException($"{component.ConfigSource}: VAE class '{component.ClassName}' is not supported (supported: {AutoencoderKlConfig.ClassName})");
        var config = AutoencoderKlConfig.FromJson(component.Config, component.ConfigSource);
        using var weights = component.OpenWeights();
        // Parameters of the decode path (the decoder and post_quant_conv), for the memory estimate.
        long parameters = weights.Tensors
            .Where(t => !VaeDecoderWeights.EncodePathTensors.Any(prefix => t.Name.StartsWith(prefix + ".", StringComparison.Ordinal)))
            .Sum(t => t.ElementCount);
        return new VaeImages(component, config, parameters);
    }

    /// <summary>Refuses latents of another channel count than the VAE's, naming where they come from.</summary>
    public void RequireLatentChannels(int channels, string what)
    {
        if (channels != Config.LatentChannels)
            throw new UsageException($"{what} has {channels} channels but the VAE ({Component.ConfigSource}) decodes {Config.LatentChannels} (its latent_channels)");
    }

    /// <summary>PNGs are RGB: the VAE must decode to three channels.</summary>
    public void RequireRgb()
    {
        if (Config.OutChannels != 3)
            throw new UsageException($"{Component.ConfigSource}: the VAE decodes {Config.OutChannels} channels; a PNG needs 3 (RGB)");
    }

    /// <summary>
    /// Refuses (exit 2) a decode of <paramref name="batch"/> latents of <paramref name="height"/> × <paramref name="width"/>
    /// whose host memory cannot fit, with the estimate: the images on the host always, and on the cpu backend the
    /// weights, the arena for one image or tile and the im2col bands; <paramref name="held"/> is what the run already
    /// holds (generate's transformer weights, which the backend keeps).
    /// </summary>
    public void RequireHostFits(int batch, int height, int width, VaeTiling? tiling, bool cpu, (string Part, long Bytes)? held = null)
    {
        int scale = Config.SpatialScale;
        long pixels = (long)height * scale * width * scale;
        string what = $"decoding {batch} × {height}×{width} latents to {width * scale}×{height * scale} pixels{(cpu ? " on the cpu backend" : "")}";
        var (tileHeight, tileWidth) = tiling?.LargestTile(height, width) ?? (height, width);
        long activations = VaeDecoder.ActivationElements(Config, tileHeight, tileWidth);
        if (cpu && activations == long.MaxValue)
            throw new UsageException($"{what}: one activation buffer would exceed {int.MaxValue} elements; use --vae-tiling");
        var parts = new List<(string, long)>
        {
            held ?? ("", 0),
            ("images", batch * pixels * Config.OutChannels * 2 * sizeof(float)),
            ("tile blending", tiling == null ? 0 : pixels * (Config.OutChannels + 1) * sizeof(double)),
        };
        if (cpu)
        {
            parts.Add(("weights", decoderParameters * sizeof(float)));
            parts.Add(("activations", activations * sizeof(float)));
            parts.Add(("im2col bands", Environment.ProcessorCount * Im2colBandBytes));
        }
        MemoryBudget.Require(what, parts, MemoryBudget.AvailableHostBytes(), "host memory");
    }

    /// <summary>
    /// sample [B, out, H, W] from latents [B, C, h, w]: unscaled first as the pipelines do (latents / scaling_factor
    /// + shift_factor) unless <paramref name="unscale"/> is false, then decoded on <paramref name="backend"/>.
    /// </summary>
    public float[] Decode(IBackend backend, float[] latents, int[] shape, bool unscale, VaeTiling? tiling)
    {
        var decoder = VaeDecoder.Load(Component, backend);
        var sample = decoder.Decode(unscale ? VaeDecoder.Unscale(Config, latents) : latents, shape, tiling);
        int bad = System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(sample);
        if (bad >= 0 && !float.IsFinite(sample[bad]))
            throw new InvalidOperationException($"the VAE decode produced a non-finite value ({sample[bad]} at element {bad}) on {backend.Name}; a 16-bit dtype may overflow in the decoder: try --dtype fp32");
        return sample;
    }

    /// <summary>Where a batch's images go: the path itself for one image, NAME-0.png, NAME-1.png, … for more.</summary>
    public static IReadOnlyList<OutputSet.Output> DeclarePngs(OutputSet outputs, string flag, string path, int batch)
    {
        if (batch == 1) return [outputs.Declare(flag, path)];
        string stem = Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path)), extension = Path.GetExtension(path);
        return [.. Enumerable.Range(0, batch).Select(i => outputs.Declare(flag, $"{stem}-{i}{extension}"))];
    }

    /// <summary>Each image of sample [B, 3, H, W] post-processed as diffusers' PIL output and written with the parameters chunk.</summary>
    public static void WritePngs(OutputSet outputs, IReadOnlyList<OutputSet.Output> targets, float[] sample, int height, int width, string? parameters)
    {
        for (int b = 0; b < targets.Count; b++)
        {
            var pixels = VaeImageProcessor.ToBytes(sample, b, 3, height, width);
            outputs.Write(targets[b], stream => PngWriter.Write(stream, pixels, width, height, parameters));
        }
    }
}
