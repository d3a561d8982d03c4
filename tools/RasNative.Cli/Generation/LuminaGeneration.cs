using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Generation;

/// <summary>
/// LuminaText2ImgPipeline: prompt embeddings with attention masks, batch [prompt ; negative], guidance 4 on the
/// first three channels, shift 1 (diffusers' scheduler default), its RoPE watershed and proportional attention.
/// </summary>
public sealed class LuminaGeneration(ModelComponent transformer, LuminaPipelineOptions options) : GenerationModel(transformer)
{
    readonly LuminaNextConfig config = ModelLoader.LuminaConfig(transformer);
    LuminaConditioning? text;

    public override int InChannels => config.InChannels;
    public override int PatchSize => config.PatchSize;
    public override int SampleSize => config.SampleSize;
    public override float DefaultGuidance => 4f;
    public override double DefaultShift => 1.0;

    public override RasOptions DefaultRas(int steps, int patches) => RasOptions.LuminaDefaults(steps, patches);

    public override long ActivationElements(TokenShape shape, bool rasCache) => LuminaNextTransformer.ActivationElements(config, shape, rasCache);

    public override int ReadConditioning(InputTensors file, float guidanceScale)
    {
        var read = ReadPrompt(file, guidanceScale, config.CrossAttentionDim, "cross_attention_dim", "prompt_attention_mask", tokens => [1, tokens]);
        text = new LuminaConditioning(read.Prompt, read.Second, read.NegativePrompt, read.NegativeSecond, read.Tokens, config.CrossAttentionDim);
        return read.Tokens;
    }

    protected override Func<float[], int[], GenerationSettings, Action<StepReport>, float[]> Load(IBackend backend)
    {
        var sampler = new LuminaSampler(LuminaNextTransformer.Load(Transformer, backend), backend);
        var conditioning = text ?? throw new InvalidOperationException("conditioning not read");
        return (noise, shape, settings, onStep) => sampler.Run(noise, shape, conditioning, settings, options, onStep);
    }
}
