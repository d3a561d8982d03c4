using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Tensors;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>Lumina-Next bench work: inputs from a file or random (full caption masks), the forward, guided sampling.</summary>
public sealed class LuminaWorkload : IBenchWorkload
{
    const float Guidance = 4f;
    readonly IBackend backend;
    readonly LuminaNextTransformer model;
    readonly RandomWeights? weights;
    readonly LuminaNextInputs inputs;
    readonly Tensor output;
    readonly float[] latent, text, mask, timestep;

    public LuminaWorkload(IBackend backend, LuminaNextConfig config, LuminaNextTransformer model, RandomWeights? weights, string? inputsPath, BenchShape shape)
    {
        (this.backend, this.model, this.weights) = (backend, model, weights);
        if (inputsPath != null)
        {
            using var file = InputTensors.Open(inputsPath);
            LatentShape = file.Shape("hidden_states", 4);
            TextTokens = file.Shape("encoder_hidden_states", 3)[1];
            (latent, text, mask, timestep) = (file.Read("hidden_states", 4), file.Read("encoder_hidden_states", 3),
                file.Read("encoder_mask", 2), file.Read("timestep", 1));
        }
        else
        {
            var random = new System.Random(1);
            LatentShape = shape.Latent(config.InChannels, config.PatchSize, config.SampleSize);
            TextTokens = shape.TextTokens;
            latent = BenchShape.RandomValues(random, LatentShape.Aggregate(1L, (a, d) => a * d));
            text = BenchShape.RandomValues(random, (long)shape.Batch * TextTokens * config.CrossAttentionDim);
            mask = Enumerable.Repeat(1f, shape.Batch * TextTokens).ToArray();
            timestep = Enumerable.Repeat(0.5f, shape.Batch).ToArray();
        }
        int batch = LatentShape[0];
        inputs = new LuminaNextInputs(backend.Upload(latent, LatentShape), timestep,
            backend.Upload(text, batch, TextTokens, text.Length / batch / TextTokens), backend.Upload(mask, batch, TextTokens),
            LuminaRopeScaling.None, model.DefaultBaseSequenceLength);
        output = backend.Allocate(batch, config.OutChannels, LatentShape[2], LatentShape[3]);
        ImageTokens = LatentShape[2] / config.PatchSize * (LatentShape[3] / config.PatchSize);
    }

    public int[] LatentShape { get; }
    public int ImageTokens { get; }
    public int TextTokens { get; }
    public long WeightBytes => model.WeightBytes;

    public void Forward() => model.Forward(inputs, output);

    public RasOptions DefaultRas(int steps) => RasOptions.LuminaDefaults(steps, ImageTokens);

    public void Sample(int steps, RasOptions ras, Action<StepReport> onStep)
    {
        int batch = LatentShape[0], rowText = text.Length / batch, rowMask = TextTokens;
        var conditioning = new LuminaConditioning(text[..rowText], mask[..rowMask], text[^rowText..], mask[^rowMask..], TextTokens, rowText / TextTokens);
        int[] single = [1, .. LatentShape[1..]];
        new LuminaSampler(model, backend).Run(latent[..(latent.Length / batch)], single, conditioning,
            new GenerationSettings(steps, Guidance, 1.0, ras), onStep: onStep);
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        if (weights != null) ModelPresets.SaveModel(folder, ModelPresets.ToConfigJson(model.Config), weights);
        int batch = LatentShape[0];
        var file = new OutputFile();
        file.Add("hidden_states", latent, LatentShape);
        file.Add("encoder_hidden_states", text, [batch, TextTokens, text.Length / batch / TextTokens]);
        file.Add("encoder_mask", mask, [batch, TextTokens]);
        file.Add("timestep", timestep, [batch]);
        file.Write(Path.Combine(folder, "inputs.safetensors"));
    }
}
