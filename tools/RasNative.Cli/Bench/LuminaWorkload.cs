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
    readonly BenchInputs data;
    readonly LuminaNextInputs inputs;
    readonly Tensor output;

    public LuminaWorkload(IBackend backend, LuminaNextTransformer model, RandomWeights? weights, string? inputsPath, BenchShape shape)
    {
        (this.backend, this.model, this.weights) = (backend, model, weights);
        var config = model.Config;
        data = inputsPath != null
            ? BenchInputs.Read(inputsPath, "encoder_mask", 2)
            : BenchInputs.Random(shape.Latent(config.InChannels, config.PatchSize, config.SampleSize), shape.TextTokens, config.CrossAttentionDim,
                "encoder_mask", [shape.Batch, shape.TextTokens], (_, count) => Enumerable.Repeat(1f, checked((int)count)).ToArray(), timestep: 0.5f);
        int batch = data.Batch;
        inputs = new LuminaNextInputs(backend.Upload(data.Latent, data.LatentShape), data.Timestep,
            backend.Upload(data.Text, batch, data.TextTokens, data.TextWidth), backend.Upload(data.Extra, data.ExtraShape),
            LuminaRopeScaling.None, model.DefaultBaseSequenceLength);
        output = backend.Allocate(batch, config.OutChannels, data.LatentShape[2], data.LatentShape[3]);
        ImageTokens = data.LatentShape[2] / config.PatchSize * (data.LatentShape[3] / config.PatchSize);
    }

    public int[] LatentShape => data.LatentShape;
    public int ImageTokens { get; }
    public int TextTokens => data.TextTokens;
    public long WeightBytes => model.WeightBytes;

    public void Forward() => model.Forward(inputs, output);

    public RasOptions DefaultRas(int steps) => RasOptions.LuminaDefaults(steps, ImageTokens);

    /// <summary>Guided run: the first batch row is the prompt, the last the negative (the pipeline's [cond ; uncond]).</summary>
    public void Sample(int steps, RasOptions ras, Action<StepReport> onStep)
    {
        int batch = data.Batch;
        var conditioning = new LuminaConditioning(BenchInputs.Row(data.Text, batch, 0), BenchInputs.Row(data.Extra, batch, 0),
            BenchInputs.Row(data.Text, batch, batch - 1), BenchInputs.Row(data.Extra, batch, batch - 1), data.TextTokens, data.TextWidth);
        new LuminaSampler(model, backend).Run(BenchInputs.Row(data.Latent, batch, 0), [1, .. data.LatentShape[1..]], conditioning,
            new GenerationSettings(steps, Guidance, 1.0, ras), onStep: onStep);
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        if (weights != null) ModelPresets.SaveModel(folder, ModelPresets.ToConfigJson(model.Config), weights);
        data.Save(Path.Combine(folder, "inputs.safetensors"));
    }
}
