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
    /// An embeddings file's conditioning as every family has it: prompt_embeds [1, L, <paramref name="width"/>] (the
    /// transformer's <paramref name="widthName"/>), a second tensor of shape <paramref name="secondShape"/>(L) (SD3's
    /// pooled projections, Lumina's attention mask), and under guidance (diffusers' do_classifier_free_guidance) their
    /// negative_ twins, present and shaped like them. Every error names the tensor.
    /// </summary>
    protected static PromptTensorsRead ReadPrompt(InputTensors file, float guidanceScale, int width, string widthName, string secondName,
        Func<int, int[]> secondShape)
    {
        const string promptName = "prompt_embeds";
        var prompt = file.Shape(promptName, 3);
        if (prompt[0] != 1 || prompt[2] != width)
            throw new UsageException($"{promptName}: shape [{string.Join(", ", prompt)}], expected [1, L, {width}] (the model's {widthName})");
        var second = file.Shape(secondName, 2);
        var expected = secondShape(prompt[1]);
        if (!second.SequenceEqual(expected))
            throw new UsageException($"{secondName}: shape [{string.Join(", ", second)}], expected [{string.Join(", ", expected)}]");
        float[]? negativePrompt = null, negativeSecond = null;
        if (guidanceScale > 1f)
        {
            EmbeddingChecks.RequireNegative(file, guidanceScale, "negative_" + promptName, "negative_" + secondName);
            EmbeddingChecks.RequireSameShape(file, "negative_" + promptName, promptName, prompt);
            EmbeddingChecks.RequireSameShape(file, "negative_" + secondName, secondName, second);
            (negativePrompt, negativeSecond) = (file.Read("negative_" + promptName, 3), file.Read("negative_" + secondName, 2));
        }
        return new PromptTensorsRead(file.Read(promptName, 3), file.Read(secondName, 2), negativePrompt, negativeSecond, prompt[1]);
    }
}

/// <summary>The conditioning tensors of an embeddings file (see <see cref="GenerationModel.ReadPrompt"/>): negatives null without guidance.</summary>
public sealed record PromptTensorsRead(float[] Prompt, float[] Second, float[]? NegativePrompt, float[]? NegativeSecond, int Tokens);
