using RasNative.Cli.Infrastructure;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Generation;

/// <summary>
/// What every model family's generate shares: the transformer component, the memory its weights take, and the embeddings-file
/// reading rule (the prompt pair, and under guidance the negative pair of the same shapes).
/// </summary>
public abstract class GenerationModel(ModelComponent transformer) : IGenerationModel
{
    protected ModelComponent Transformer { get; } = transformer;

    public abstract int InChannels { get; }
    public abstract int PatchSize { get; }
    public abstract float DefaultGuidance { get; }
    public abstract double DefaultShift { get; }

    public abstract RasOptions DefaultRas(int steps, int patches);

    public abstract int ReadConditioning(InputTensors embeddings, float guidanceScale);

    public abstract long ActivationElements(TokenShape shape, bool rasCache);

    public abstract float[] Sample(IBackend backend, float[] noise, int[] latentShape, GenerationSettings settings, Action<StepReport> onStep);

    /// <summary>Parameter count of the checkpoint (every tensor, as the model keeps them all).</summary>
    public long ParameterCount()
    {
        using var weights = Transformer.OpenWeights();
        return weights.Tensors.Sum(t => t.ElementCount);
    }

    /// <summary>
    /// The negative twins of two prompt tensors under guidance (diffusers' do_classifier_free_guidance): both
    /// present and shaped like their positive tensors; null without guidance.
    /// </summary>
    protected static (float[] First, float[] Second)? ReadNegatives(InputTensors file, float guidanceScale,
        (string Name, string Like, int[] Shape) first, (string Name, string Like, int[] Shape) second)
    {
        if (guidanceScale <= 1f) return null;
        EmbeddingChecks.RequireNegative(file, guidanceScale, first.Name, second.Name);
        EmbeddingChecks.RequireSameShape(file, first.Name, first.Like, first.Shape);
        EmbeddingChecks.RequireSameShape(file, second.Name, second.Like, second.Shape);
        return (file.Read(first.Name, first.Shape.Length), file.Read(second.Name, second.Shape.Length));
    }
}
