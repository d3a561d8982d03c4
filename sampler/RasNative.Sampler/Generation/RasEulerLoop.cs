using System.Diagnostics;
using RasNative.Runtime.Models;
using RasNative.Sampler.Ras;
using RasNative.Sampler.Scheduling;

namespace RasNative.Sampler.Generation;

/// <summary>
/// The model-independent part of a RAS sampling run (spec §16): which patches each step computes and how it
/// treats the K/V cache, then on the host the fill of the skipped pixels, the float32 Euler update and the
/// selection for the next step, exactly as the official code orders them. The model family supplies the
/// velocity of one step.
/// </summary>
public static class RasEulerLoop
{
    /// <summary>What a step asks of the model: its timestep, the latents, the patches to compute (null = all) and the cache mode.</summary>
    public readonly record struct StepRequest(int Step, float Timestep, float[] Latents, int[]? ActivePatches, KvCacheMode CacheMode);

    /// <param name="velocity">Writes the step's velocity [C, H, W] (the scheduler's model_output) into the span.</param>
    public static float[] Run(float[] initialLatents, int channels, PatchGrid grid, GenerationSettings settings,
        Action<StepRequest, Span<float>> velocity, Action<StepReport>? onStep)
    {
        var schedule = FlowMatchEulerSchedule.Create(settings.Steps, settings.Shift);
        var ras = new RasController(settings.Ras, settings.Steps, channels, grid);
        var latents = (float[])initialLatents.Clone();
        var v = new float[latents.Length];
        var increment = new float[latents.Length];
        for (int step = 0; step < settings.Steps; step++)
        {
            var clock = Stopwatch.StartNew();
            int[]? active = ras.IsRasStep(step) ? ras.Selection!.Active : null;
            float timestep = schedule.Timesteps[step];
            velocity(new StepRequest(step, timestep, latents, active, ras.CacheMode(step)), v);
            RequireFinite(v, step, settings.Steps);

            ras.FillSkipped(step, v);
            float dt = schedule.Sigmas[step + 1] - schedule.Sigmas[step];
            for (int i = 0; i < latents.Length; i++)
            {
                increment[i] = dt * v[i];
                latents[i] += increment[i];
            }
            ras.AfterEuler(step, v, increment);
            onStep?.Invoke(new StepReport(step, settings.Steps, timestep, latents, active, grid.Patches, clock.Elapsed));
        }
        return latents;
    }

    /// <summary>A NaN or ∞ in the model output would silently spread through every later step: stop at the first.</summary>
    static void RequireFinite(float[] velocity, int step, int steps)
    {
        int bad = System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(velocity);
        if (bad >= 0 && !float.IsFinite(velocity[bad]))
            throw new NonFiniteOutputException($"step {step + 1}/{steps}: the model output is not finite ({velocity[bad]} at element {bad}); check the weights and inputs");
    }
}
