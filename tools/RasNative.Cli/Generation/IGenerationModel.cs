using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Generation;

/// <summary>
/// What generate needs from a model family: its latent layout and defaults, the memory a run takes, its
/// conditioning read and checked before any weights load, and its sampling loop.
/// </summary>
public interface IGenerationModel
{
    int InChannels { get; }
    int PatchSize { get; }

    /// <summary>The transformer's sample_size: the default latent height and width.</summary>
    int SampleSize { get; }
    float DefaultGuidance { get; }
    double DefaultShift { get; }

    RasOptions DefaultRas(int steps, int patches);

    /// <summary>Reads and validates the embeddings file's tensors (errors name the tensor); returns the text token count.</summary>
    int ReadConditioning(Infrastructure.InputTensors embeddings, float guidanceScale);

    /// <summary>The transformer's weights on a backend computing in <paramref name="computeBytes"/>-byte values, estimated before loading.</summary>
    long WeightBytes(int computeBytes);

    /// <summary>Elements of the forward buffers (arena and RAS caches) for one shape.</summary>
    long ActivationElements(TokenShape shape, bool rasCache);

    /// <summary>
    /// Loads the weights onto <paramref name="backend"/> once and runs the sampler for each image of
    /// <paramref name="latentShape"/> [N, C, H, W] (its noise the matching slice of <paramref name="noise"/>).
    /// </summary>
    float[] Sample(IBackend backend, float[] noise, int[] latentShape, GenerationSettings settings, Action<StepReport> onStep);
}
