using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>One model's bench work: a forward on fixed inputs, and (transformers) a guided sampling run.</summary>
public interface IBenchWorkload
{
    /// <summary>Transformer input [B, C, H, W]; [B] for a text encoder (no latent).</summary>
    int[] LatentShape { get; }
    int ImageTokens { get; }
    int TextTokens { get; }

    /// <summary>Backend memory the model's parameters hold.</summary>
    long WeightBytes { get; }

    void Forward();

    /// <summary>Work that compiles every code path <see cref="Forward"/> runs (the JIT warm-up); the forward itself unless that is slow.</summary>
    void WarmUp() => Forward();

    RasOptions DefaultRas(int steps);

    /// <summary>A guided sampling run (batch 2) from the first batch row's latent and text.</summary>
    void Sample(int steps, RasOptions ras, Action<StepReport> onStep);

    /// <summary>--save: the inputs (and, for random presets, the model folder), for other tools to run the same work.</summary>
    void Save(string folder);
}
