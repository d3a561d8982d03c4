using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Generation;

/// <summary>
/// LuminaText2ImgPipeline: prompt embeddings with attention masks, batch [prompt ; negative], guidance 4 on the
/// first three channels, shift 1 (diffusers' scheduler default), its RoPE watershed and proportional attention.
/// </summary>
public sealed class LuminaGeneration(ModelComponent transformer, LuminaPipelineOptions options) : IGenerationModel
{
    readonly LuminaNextConfig config = ModelLoader.LuminaConfig(transformer);
    LuminaConditioning? text;

    public int InChannels => config.InChannels;
    public int PatchSize => config.PatchSize;
    public float DefaultGuidance => 4f;
    public double DefaultShift => 1.0;

    public RasOptions DefaultRas(int steps, int patches) => RasOptions.LuminaDefaults(steps, patches);

    public void ReadConditioning(InputTensors file, float guidanceScale)
    {
        var prompt = file.Shape("prompt_embeds", 3);
        if (prompt[0] != 1 || prompt[2] != config.CrossAttentionDim)
            throw new UsageException($"prompt_embeds: shape [{string.Join(", ", prompt)}], expected [1, L, {config.CrossAttentionDim}] (the model's cross_attention_dim)");
        var mask = file.Shape("prompt_attention_mask", 2);
        if (mask[0] != 1 || mask[1] != prompt[1])
            throw new UsageException($"prompt_attention_mask: shape [{string.Join(", ", mask)}], expected [1, {prompt[1]}]");
        float[]? negative = null, negativeMask = null;
        if (guidanceScale > 1f)
        {
            EmbeddingChecks.RequireNegative(file, guidanceScale, "negative_prompt_embeds", "negative_prompt_attention_mask");
            EmbeddingChecks.RequireSameShape(file, "negative_prompt_embeds", "prompt_embeds", prompt);
            EmbeddingChecks.RequireSameShape(file, "negative_prompt_attention_mask", "prompt_attention_mask", mask);
            (negative, negativeMask) = (file.Read("negative_prompt_embeds", 3), file.Read("negative_prompt_attention_mask", 2));
        }
        text = new LuminaConditioning(file.Read("prompt_embeds", 3), file.Read("prompt_attention_mask", 2), negative, negativeMask, prompt[1], prompt[2]);
    }

    public float[] Sample(IBackend backend, float[] noise, int[] latentShape, GenerationSettings settings, Action<StepReport> onStep) =>
        new LuminaSampler(LuminaNextTransformer.Load(transformer, backend), backend)
            .Run(noise, latentShape, text ?? throw new InvalidOperationException("conditioning not read"), settings, options, onStep);
}
