using RasNative.Runtime.Models;

namespace RasNative.Sampler.Ras;

/// <summary>
/// RAS over one sampling run, host side (spec §16): which steps run on the active patches only, the fill of the
/// skipped velocities before each RAS step's Euler update, and the selection for the next step after it. Use one
/// instance per run; the starvation counters start at −(N + 1).
/// </summary>
public sealed class RasController
{
    public RasController(RasOptions options, int steps, int channels, PatchGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        Plan = new RasStepPlan(options, steps, grid.Patches);
        Selector = new RasSelector(options, steps, grid);
        Cache = new VelocityCache(channels, grid);
        Channels = channels;
    }

    public RasStepPlan Plan { get; }
    public RasSelector Selector { get; }
    public VelocityCache Cache { get; }
    public int Channels { get; }

    /// <summary>The latest selection; it applies to the next RAS step.</summary>
    public RasSelection? Selection { get; private set; }

    /// <summary>
    /// Step <paramref name="step"/> runs on <see cref="RasSelection.Active"/> of <see cref="Selection"/>. A RAS step
    /// for which no selection was ever made (EndStep = StartStep) runs dense.
    /// </summary>
    public bool IsRasStep(int step) => Plan.IsRasStep(step) && Selection is not null;

    /// <summary>How step <paramref name="step"/>'s forward treats the K/V caches: update them on RAS steps, store them on
    /// the plan's store steps, leave them alone otherwise.</summary>
    public KvCacheMode CacheMode(int step) =>
        IsRasStep(step) ? KvCacheMode.Update : Plan.IsStoreStep(step) ? KvCacheMode.Store : KvCacheMode.None;

    /// <summary>On a RAS step, puts the cached velocities into the model output [C, H, W] before the Euler update.</summary>
    public void FillSkipped(int step, Span<float> velocity)
    {
        if (IsRasStep(step)) Cache.Fill(velocity);
    }

    /// <summary>
    /// After the Euler update of <paramref name="step"/>: if the next step is a RAS step, selects its active patches
    /// from the increment d = (σ[i+1] − σ[i])·v and caches the (filled) velocity <paramref name="velocity"/> of the
    /// skipped pixels. Returns the new selection, or null when none was due.
    /// </summary>
    public RasSelection? AfterEuler(int step, ReadOnlySpan<float> velocity, ReadOnlySpan<float> increment)
    {
        if (!Plan.ShouldSelectAfter(step)) return null;
        var selection = Selector.Select(increment, Channels, Plan.SkipCounts[step + 1]);
        Cache.Capture(velocity, selection.CachedPixels);
        Selection = selection;
        return selection;
    }
}
