using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>SD3/SD3.5 bench work: inputs from a file or random, the forward, CFG sampling at shift 3.</summary>
public sealed class Sd3Workload : IBenchWorkload
{
    const float Guidance = 5f;
    readonly IBackend backend;
    readonly Sd3Transformer model;
    readonly RandomWeights? weights;
    readonly BenchInputs data;
    readonly Sd3Inputs inputs;
    readonly Tensor output;

    public Sd3Workload(IBackend backend, Sd3Transformer model, RandomWeights? weights, string? inputsPath, BenchShape shape)
    {
        (this.backend, this.model, this.weights) = (backend, model, weights);
        var config = model.Config;
        data = inputsPath != null
            ? BenchInputs.Read(inputsPath, "pooled_projections", 2)
            : BenchInputs.Random(shape.Latent(config.InChannels, config.PatchSize, config.SampleSize), shape.TextTokens, config.JointAttentionDim,
                "pooled_projections", [shape.Batch, config.PooledProjectionDim], BenchShape.RandomValues, timestep: 500f);
        int batch = data.Batch;
        inputs = new Sd3Inputs(backend.Upload(data.Latent, data.LatentShape), backend.Upload(data.Text, batch, data.TextTokens, data.TextWidth),
            backend.Upload(data.Extra, data.ExtraShape), data.Timestep);
        output = backend.Allocate(batch, config.OutChannels, data.LatentShape[2], data.LatentShape[3]);
        ImageTokens = data.LatentShape[2] / config.PatchSize * (data.LatentShape[3] / config.PatchSize);
    }

    public int[] LatentShape => data.LatentShape;
    public int ImageTokens { get; }
    public int TextTokens => data.TextTokens;
    public long WeightBytes => model.WeightBytes;

    public void Forward() => model.Forward(inputs, output);

    public RasOptions DefaultRas(int steps) => RasOptions.Sd3Defaults(steps);

    /// <summary>Guided run: the last batch row is the prompt, the first the negative (the pipeline's [uncond ; cond]).</summary>
    public void Sample(int steps, RasOptions ras, Action<StepReport> onStep)
    {
        int batch = data.Batch;
        var conditioning = new TextConditioning(BenchInputs.Row(data.Text, batch, batch - 1), BenchInputs.Row(data.Extra, batch, batch - 1),
            BenchInputs.Row(data.Text, batch, 0), BenchInputs.Row(data.Extra, batch, 0), data.TextTokens, data.TextWidth, data.ExtraShape[1]);
        new Sd3Sampler(model, backend).Run(BenchInputs.Row(data.Latent, batch, 0), [1, .. data.LatentShape[1..]], conditioning,
            new GenerationSettings(steps, Guidance, 3.0, ras), onStep);
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        if (weights != null) ModelPresets.SaveModel(folder, ModelPresets.ToConfigJson(model.Config), weights);
        data.Save(Path.Combine(folder, "inputs.safetensors"));
    }
}
