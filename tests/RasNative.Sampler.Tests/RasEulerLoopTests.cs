using RasNative.Runtime.Models;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;
using Xunit;

namespace RasNative.Sampler.Tests;

/// <summary>The loop asks the model for exactly what the step plan says: RAS steps update the K/V cache, store steps store it.</summary>
public class RasEulerLoopTests
{
    [Fact]
    public void EveryStepUsesThePlansCacheMode()
    {
        // 8 steps, RAS from 2 through 5 (before the last step), a reset at 4; a 4×4 grid of 16 patches, 8 skipped.
        var options = new RasOptions(0.5, 2, 5, [4], RasMetric.Std, 0.3);
        var plan = new RasStepPlan(options, 8, 16);
        var modes = new List<KvCacheMode>();
        var latents = Enumerable.Range(0, 4 * 8 * 8).Select(i => MathF.Cos(i * 0.7f)).ToArray();
        RasEulerLoop.Run(latents, 4, new PatchGrid(8, 8, 2), new GenerationSettings(8, 1f, 3.0, options), (request, velocity) =>
        {
            modes.Add(request.CacheMode);
            Assert.Equal(request.CacheMode == KvCacheMode.Update, request.ActivePatches != null);
            for (int i = 0; i < velocity.Length; i++) velocity[i] = MathF.Sin(3 * request.Latents[i] + i);
        }, onStep: null);

        var expected = Enumerable.Range(0, 8)
            .Select(i => plan.IsRasStep(i) ? KvCacheMode.Update : plan.IsStoreStep(i) ? KvCacheMode.Store : KvCacheMode.None);
        Assert.Equal(expected, modes);
        Assert.Equal([KvCacheMode.None, KvCacheMode.Store, KvCacheMode.Update, KvCacheMode.Update, KvCacheMode.Store, KvCacheMode.Update,
            KvCacheMode.None, KvCacheMode.None], modes);
    }
}
