using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
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
    readonly Sd3Inputs inputs;
    readonly Tensor output;
    readonly float[] latent, text, pooled, timestep;

    public Sd3Workload(IBackend backend, Sd3TransformerConfig config, Sd3Transformer model, RandomWeights? weights, string? inputsPath, BenchShape shape)
    {
        (this.backend, this.model, this.weights) = (backend, model, weights);
        if (inputsPath != null)
        {
            using var file = InputTensors.Open(inputsPath);
            LatentShape = file.Shape("hidden_states", 4);
            TextTokens = file.Shape("encoder_hidden_states", 3)[1];
            (latent, text, pooled, timestep) = (file.Read("hidden_states", 4), file.Read("encoder_hidden_states", 3),
                file.Read("pooled_projections", 2), file.Read("timestep", 1));
        }
        else
        {
            var random = new System.Random(1);
            LatentShape = shape.Latent(config.InChannels, config.PatchSize, config.SampleSize);
            TextTokens = shape.TextTokens;
            latent = BenchShape.RandomValues(random, LatentShape.Aggregate(1L, (a, d) => a * d));
            text = BenchShape.RandomValues(random, (long)shape.Batch * TextTokens * config.JointAttentionDim);
            pooled = BenchShape.RandomValues(random, (long)shape.Batch * config.PooledProjectionDim);
            timestep = Enumerable.Repeat(500f, shape.Batch).ToArray();
        }
        int batch = LatentShape[0];
        inputs = new Sd3Inputs(backend.Upload(latent, LatentShape), backend.Upload(text, batch, TextTokens, text.Length / batch / TextTokens),
            backend.Upload(pooled, batch, pooled.Length / batch), timestep);
        output = backend.Allocate(batch, config.OutChannels, LatentShape[2], LatentShape[3]);
        ImageTokens = LatentShape[2] / config.PatchSize * (LatentShape[3] / config.PatchSize);
    }

    public int[] LatentShape { get; }
    public int ImageTokens { get; }
    public int TextTokens { get; }
    public long WeightBytes => model.WeightBytes;

    public void Forward() => model.Forward(inputs, output);

    public RasOptions DefaultRas(int steps) => RasOptions.Sd3Defaults(steps);

    public void Sample(int steps, RasOptions ras, Action<StepReport> onStep)
    {
        int batch = LatentShape[0], rowText = text.Length / batch, rowPooled = pooled.Length / batch;
        var conditioning = new TextConditioning(text[^rowText..], pooled[^rowPooled..], text[..rowText], pooled[..rowPooled],
            TextTokens, rowText / TextTokens, rowPooled);
        int[] single = [1, .. LatentShape[1..]];
        new Sd3Sampler(model, backend).Run(latent[..(latent.Length / batch)], single, conditioning,
            new GenerationSettings(steps, Guidance, 3.0, ras), onStep);
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        if (weights != null) ModelPresets.SaveModel(folder, ModelPresets.ToConfigJson(model.Config), weights);
        int batch = LatentShape[0];
        var file = new OutputFile();
        file.Add("hidden_states", latent, LatentShape);
        file.Add("encoder_hidden_states", text, [batch, TextTokens, text.Length / batch / TextTokens]);
        file.Add("pooled_projections", pooled, [batch, pooled.Length / batch]);
        file.Add("timestep", timestep, [batch]);
        file.Write(Path.Combine(folder, "inputs.safetensors"));
    }
}
