using RasNative.Runtime.Backends;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Generation;

/// <summary>
/// What generate needs from a model family: its latent layout and defaults, its conditioning read and checked
/// before any weights load, and its sampling loop.
/// </summary>
public interface IGenerationModel
{
    int InChannels { get; }
    int PatchSize { get; }
    float DefaultGuidance { get; }
    double DefaultShift { get; }

    RasOptions DefaultRas(int steps, int patches);

    /// <summary>Reads and validates the embeddings file's tensors (errors name the tensor).</summary>
    void ReadConditioning(Infrastructure.InputTensors embeddings, float guidanceScale);

    /// <summary>Loads the weights onto <paramref name="backend"/> and runs the sampler.</summary>
    float[] Sample(IBackend backend, float[] noise, int[] latentShape, GenerationSettings settings, Action<StepReport> onStep);
}
