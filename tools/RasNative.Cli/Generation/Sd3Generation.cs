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
    public override int SampleSize => config.SampleSize;

    /// <summary>The transformer's joint_attention_dim: the width of prompt_embeds.</summary>
    public int JointAttentionDim => config.JointAttentionDim;
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

    /// <summary>Conditioning encoded from a prompt (generate --prompt); checked against the transformer like a file's.</summary>
    public void UseConditioning(TextConditioning conditioning)
    {
        if (conditioning.TextWidth != config.JointAttentionDim)
            throw new UsageException($"the text encoders give prompt_embeds {conditioning.TextWidth} wide, but the transformer's joint_attention_dim is {config.JointAttentionDim}");
        if (conditioning.PooledWidth != config.PooledProjectionDim)
            throw new UsageException($"the text encoders give pooled_prompt_embeds {conditioning.PooledWidth} wide, but the transformer's pooled_projection_dim is {config.PooledProjectionDim}");
        text = conditioning;
    }

    protected override Func<float[], int[], GenerationSettings, Action<StepReport>, float[]> Load(IBackend backend)
    {
        var sampler = new Sd3Sampler(Sd3Transformer.Load(Transformer, backend), backend);
        var conditioning = text ?? throw new InvalidOperationException("conditioning not read");
        return (noise, shape, settings, onStep) => sampler.Run(noise, shape, conditioning, settings, onStep);
    }
}
