using RasNative.Sampler.Ras;

namespace RasNative.Sampler.Generation;

/// <summary>One sampling run: steps, guidance scale (CFG when above 1, as diffusers), scheduler shift and RAS.</summary>
public sealed record GenerationSettings(int Steps, float GuidanceScale, double Shift, RasOptions Ras)
{
    public bool UsesGuidance => GuidanceScale > 1f;
}
