using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>Lumina-Next bench work: the caption mask as the extra input (full masks when random), the forward, guided sampling.</summary>
public sealed class LuminaWorkload : TransformerWorkload
{
    const float Guidance = 4f;
    readonly LuminaNextTransformer model;
    readonly LuminaNextInputs inputs;

    public LuminaWorkload(IBackend backend, LuminaNextTransformer model, RandomWeights? weights, string? inputsPath, BenchShape shape)
        : base(backend, weights, ModelPresets.ToConfigJson(model.Config), ReadOrRandom(model.Config, inputsPath, shape), model.Config.PatchSize, model.Config.OutChannels)
    {
        this.model = model;
        var (latent, text, mask) = Upload();
        inputs = new LuminaNextInputs(latent, Data.Timestep, text, mask, LuminaRopeScaling.None, model.DefaultBaseSequenceLength);
    }

    public override long WeightBytes => model.WeightBytes;

    public override void Forward() => model.Forward(inputs, Output);

    public override RasOptions DefaultRas(int steps) => RasOptions.LuminaDefaults(steps, ImageTokens);

    /// <summary>Guided run: the first batch row is the prompt, the last the negative (the pipeline's [cond ; uncond]).</summary>
    public override void Sample(int steps, RasOptions ras, Action<StepReport> onStep)
    {
        int last = Data.Batch - 1;
        var conditioning = new LuminaConditioning(Row(Data.Text, 0), Row(Data.Extra, 0), Row(Data.Text, last), Row(Data.Extra, last),
            Data.TextTokens, Data.TextWidth);
        var (latent, shape) = FirstLatent;
        new LuminaSampler(model, Backend).Run(latent, shape, conditioning, new GenerationSettings(steps, Guidance, 1.0, ras), onStep: onStep);
    }

    static BenchInputs ReadOrRandom(LuminaNextConfig config, string? inputsPath, BenchShape shape) => inputsPath != null
        ? BenchInputs.Read(inputsPath, "encoder_mask", 2)
        : BenchInputs.Random(shape.Latent(config.InChannels, config.PatchSize, config.SampleSize), shape.TextTokens, config.CrossAttentionDim,
            "encoder_mask", [shape.Batch, shape.TextTokens], (_, count) => Enumerable.Repeat(1f, checked((int)count)).ToArray(), timestep: 0.5f);
}
