namespace RasNative.Sampler.Generation;

/// <summary>What a sampler step did: latents after it, and the patches it computed (null on dense steps).</summary>
public sealed record StepReport(int Step, int Steps, float Timestep, float[] Latents, int[]? ActivePatches, int Patches, TimeSpan Elapsed);
