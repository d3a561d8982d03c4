using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Sd3;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Generation;

/// <summary>StableDiffusion3Pipeline: prompt/pooled embeddings, CFG batch [negative ; prompt], shift 3.</summary>
public sealed class Sd3Generation(ModelComponent transformer) : GenerationModel(transformer)
{
    readonly Sd3TransformerConfig config = ModelLoader.Sd3Config(transformer);
    TextConditioning? text;

    public override int InChannels => config.InChannels;
    public override int PatchSize => config.PatchSize;
    public override float DefaultGuidance => 7f;
    public override double DefaultShift => 3.0;

    public override RasOptions DefaultRas(int steps, int patches) => RasOptions.Sd3Defaults(steps);

    public override long ActivationElements(TokenShape shape, bool rasCache) => Sd3Transformer.ActivationElements(config, shape, rasCache);

    public override int ReadConditioning(InputTensors file, float guidanceScale)
    {
        var prompt = file.Shape("prompt_embeds", 3);
        var pooled = file.Shape("pooled_prompt_embeds", 2);
        if (prompt[0] != 1 || prompt[2] != config.JointAttentionDim)
            throw new UsageException($"prompt_embeds: shape [{string.Join(", ", prompt)}], expected [1, L, {config.JointAttentionDim}] (the model's joint_attention_dim)");
        if (pooled[0] != 1 || pooled[1] != config.PooledProjectionDim)
            throw new UsageException($"pooled_prompt_embeds: shape [{string.Join(", ", pooled)}], expected [1, {config.PooledProjectionDim}]");
        var negative = ReadNegatives(file, guidanceScale,
            ("negative_prompt_embeds", "prompt_embeds", prompt), ("negative_pooled_prompt_embeds", "pooled_prompt_embeds", pooled));
        text = new TextConditioning(file.Read("prompt_embeds", 3), file.Read("pooled_prompt_embeds", 2), negative?.First, negative?.Second,
            prompt[1], prompt[2], pooled[1]);
        return prompt[1];
    }

    public override float[] Sample(IBackend backend, float[] noise, int[] latentShape, GenerationSettings settings, Action<StepReport> onStep) =>
        new Sd3Sampler(Sd3Transformer.Load(Transformer, backend), backend)
            .Run(noise, latentShape, text ?? throw new InvalidOperationException("conditioning not read"), settings, onStep);
}
