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
        var prompt = file.Shape("prompt_embeds", 3);
        if (prompt[0] != 1 || prompt[2] != config.CrossAttentionDim)
            throw new UsageException($"prompt_embeds: shape [{string.Join(", ", prompt)}], expected [1, L, {config.CrossAttentionDim}] (the model's cross_attention_dim)");
        var mask = file.Shape("prompt_attention_mask", 2);
        if (mask[0] != 1 || mask[1] != prompt[1])
            throw new UsageException($"prompt_attention_mask: shape [{string.Join(", ", mask)}], expected [1, {prompt[1]}]");
        var negative = ReadNegatives(file, guidanceScale,
            ("negative_prompt_embeds", "prompt_embeds", prompt), ("negative_prompt_attention_mask", "prompt_attention_mask", mask));
        text = new LuminaConditioning(file.Read("prompt_embeds", 3), file.Read("prompt_attention_mask", 2), negative?.First, negative?.Second, prompt[1], prompt[2]);
        return prompt[1];
    }

    protected override Func<float[], int[], GenerationSettings, Action<StepReport>, float[]> Load(IBackend backend)
    {
        var sampler = new LuminaSampler(LuminaNextTransformer.Load(Transformer, backend), backend);
        var conditioning = text ?? throw new InvalidOperationException("conditioning not read");
        return (noise, shape, settings, onStep) => sampler.Run(noise, shape, conditioning, settings, options, onStep);
    }
}
