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
    public abstract int SampleSize { get; }
    public abstract float DefaultGuidance { get; }
    public abstract double DefaultShift { get; }

    public abstract RasOptions DefaultRas(int steps, int patches);

    public abstract int ReadConditioning(InputTensors embeddings, float guidanceScale);

    public abstract long ActivationElements(TokenShape shape, bool rasCache);

    public float[] Sample(IBackend backend, float[] noise, int[] latentShape, GenerationSettings settings, Action<StepReport> onStep)
    {
        var sampleOne = Load(backend);
        int images = latentShape[0], size = noise.Length / images;
        var latents = new float[noise.Length];
        for (int image = 0; image < images; image++)
            sampleOne(noise[(image * size)..((image + 1) * size)], [1, .. latentShape[1..]], settings, onStep).CopyTo(latents, image * size);
        return latents;
    }

    /// <summary>Loads the transformer onto the backend; the result samples one image [1, C, H, W] from its noise.</summary>
    protected abstract Func<float[], int[], GenerationSettings, Action<StepReport>, float[]> Load(IBackend backend);

    public long WeightBytes(int computeBytes) => StageMemory.EstimateWeights(Transformer, computeBytes);

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
