using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Sd3;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>SD3/SD3.5 bench work: pooled projections as the extra input, the forward, CFG sampling at shift 3.</summary>
public sealed class Sd3Workload : TransformerWorkload
{
    const float Guidance = 5f;
    readonly Sd3Transformer model;
    readonly Sd3Inputs inputs;

    public Sd3Workload(IBackend backend, Sd3Transformer model, RandomWeights? weights, string? inputsPath, BenchShape shape)
        : base(backend, weights, ModelPresets.ToConfigJson(model.Config), ReadOrRandom(model.Config, inputsPath, shape), model.Config.PatchSize, model.Config.OutChannels)
    {
        this.model = model;
        var (latent, text, pooled) = Upload();
        inputs = new Sd3Inputs(latent, text, pooled, Data.Timestep);
    }

    public override long WeightBytes => model.WeightBytes;

    public override void Forward() => model.Forward(inputs, Output);

    public override RasOptions DefaultRas(int steps) => RasOptions.Sd3Defaults(steps);

    /// <summary>Guided run: the last batch row is the prompt, the first the negative (the pipeline's [uncond ; cond]).</summary>
    public override void Sample(int steps, RasOptions ras, Action<StepReport> onStep)
    {
        int last = Data.Batch - 1;
        var conditioning = new TextConditioning(Row(Data.Text, last), Row(Data.Extra, last), Row(Data.Text, 0), Row(Data.Extra, 0),
            Data.TextTokens, Data.TextWidth, Data.ExtraShape[1]);
        var (latent, shape) = FirstLatent;
        new Sd3Sampler(model, Backend).Run(latent, shape, conditioning, new GenerationSettings(steps, Guidance, 3.0, ras), onStep);
    }

    static BenchInputs ReadOrRandom(Sd3TransformerConfig config, string? inputsPath, BenchShape shape) => inputsPath != null
        ? BenchInputs.Read(inputsPath, "pooled_projections", 2)
        : BenchInputs.Random(shape.Latent(config.InChannels, config.PatchSize, config.SampleSize), shape.TextTokens, config.JointAttentionDim,
            "pooled_projections", [shape.Batch, config.PooledProjectionDim], BenchShape.RandomValues, timestep: 500f);
}
