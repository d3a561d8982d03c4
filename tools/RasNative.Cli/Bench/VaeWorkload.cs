using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.Files;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Vae;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>
/// VAE bench work: one decode of latents (random, or --inputs' 'latents') for an image of --width × --height pixels
/// (default 1024²), per image; the arena is planned before the timing and the JIT is warmed up on a small latent, as a
/// full-size decode takes minutes on a CPU.
/// </summary>
public sealed class VaeWorkload : IBenchWorkload
{
    const int DefaultPixels = 1024;
    const int WarmUpLatent = 16;
    readonly VaeDecoder decoder;
    readonly RandomWeights? weights;
    readonly float[] latents;
    readonly float[] warmUpLatents;

    public VaeWorkload(VaeDecoder decoder, RandomWeights? weights, string? inputsPath, BenchShape shape, int batch)
    {
        (this.decoder, this.weights) = (decoder, weights);
        var config = decoder.Config;
        int scale = config.SpatialScale;
        if (inputsPath != null)
        {
            using var file = InputTensors.Open(inputsPath);
            LatentShape = file.Shape("latents", 4);
            if (LatentShape[1] != config.LatentChannels)
                throw new UsageException($"{inputsPath}: tensor 'latents' has {LatentShape[1]} channels; the VAE decodes {config.LatentChannels}");
            latents = file.Read("latents", 4);
        }
        else
        {
            int width = shape.WidthPixels ?? DefaultPixels, height = shape.HeightPixels ?? DefaultPixels;
            if (width % scale != 0 || height % scale != 0)
                throw new UsageException($"--width {width} / --height {height}: each must be a multiple of {scale} (the VAE's scale)");
            LatentShape = [batch, config.LatentChannels, height / scale, width / scale];
            latents = BenchShape.RandomValues(new System.Random(1), (long)batch * config.LatentChannels * (height / scale) * (width / scale));
        }
        int small = Math.Min(WarmUpLatent, Math.Min(LatentShape[2], LatentShape[3]));
        warmUpLatents = new float[config.LatentChannels * small * small];
        decoder.PlanFor(LatentShape[2], LatentShape[3]);
    }

    public int[] LatentShape { get; }

    /// <summary>Latent pixels of one image (the mid-block attention's tokens).</summary>
    public int ImageTokens => LatentShape[2] * LatentShape[3];

    public int TextTokens => 0;

    public long WeightBytes => decoder.WeightBytes;

    /// <summary>Image size in pixels, [height, width].</summary>
    public int[] ImagePixels => [LatentShape[2] * decoder.Config.SpatialScale, LatentShape[3] * decoder.Config.SpatialScale];

    public void Forward() => decoder.Decode(latents, LatentShape);

    public void WarmUp()
    {
        int small = (int)Math.Sqrt(warmUpLatents.Length / decoder.Config.LatentChannels);
        decoder.Decode(warmUpLatents, [1, decoder.Config.LatentChannels, small, small]);
    }

    public RasOptions DefaultRas(int steps) => throw SamplingRefused();

    public void Sample(int steps, RasOptions ras, Action<StepReport> onStep) => throw SamplingRefused();

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        if (weights != null)
            ModelPresets.SaveModel(folder, decoder.Config.ToJsonObject().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), weights);
        AtomicFile.Write(Path.Combine(folder, "inputs.safetensors"), stream =>
            SafetensorsWriter.Write(stream, [TensorToWrite.F32("latents", latents, [.. LatentShape.Select(d => (long)d)])]));
    }

    public static UsageException SamplingRefused() => new("--steps and the RAS flags time sampling; a VAE has no sampler");
}
