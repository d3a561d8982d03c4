namespace RasNative.Sampler.Ras;

/// <summary>
/// Which steps of an N-step run are RAS steps, which store the K/V caches, and after which steps a selection is
/// made, exactly as the official manager and scheduler decide (spec §3), plus the skip count of every step.
/// </summary>
public sealed class RasStepPlan
{
    readonly HashSet<int> resets;

    public RasStepPlan(RasOptions options, int steps, int patches)
    {
        Options = options;
        Steps = steps;
        Patches = patches;
        SkipCounts = SkipSchedule.Build(options, steps, patches);
        resets = [.. options.ResetSteps];
    }

    public RasOptions Options { get; }
    public int Steps { get; }
    public int Patches { get; }

    /// <summary>Patches skipped at each step (see <see cref="SkipSchedule"/>).</summary>
    public IReadOnlyList<int> SkipCounts { get; }

    /// <summary>A ratio of 1 makes every RAS branch a no-op: every step is a plain dense step.</summary>
    public bool Enabled => Options.SampleRatio < 1.0;

    /// <summary>
    /// Step <paramref name="step"/> runs on the active patches only. A step in the RAS range whose skip count is 0
    /// (possible with dynamic schedules) runs dense instead: the official code would select an empty or full active
    /// set there (its <c>indices[-0:]</c>) and crash.
    /// Quirk kept from the official code: with EndStep &lt; N − 1, step EndStep is a RAS step that reuses the
    /// selection made for the step before it.
    /// </summary>
    public bool IsRasStep(int step) =>
        Enabled && step >= Options.StartStep && step <= Options.EndStep && !resets.Contains(step) && SkipOf(step) > 0;

    /// <summary>
    /// Dense step whose image-token K/V become the caches of the following RAS steps: start − 1 and the reset steps, as
    /// in the official code, and any other dense step of the RAS range (a zero skip count, which the official code
    /// cannot run), so that every cached row holds the K/V of the last step that computed its token. Dense steps after
    /// EndStep leave the cache alone (the official code drops it there).
    /// </summary>
    public bool IsStoreStep(int step) =>
        Enabled && !IsRasStep(step) && (resets.Contains(step) || (step >= Options.StartStep - 1 && step <= Options.EndStep));

    /// <summary>
    /// At the end of <paramref name="step"/> the active set of the next step is chosen (note the strict bound on
    /// EndStep, unlike <see cref="IsRasStep"/>).
    /// </summary>
    public bool ShouldSelectAfter(int step)
    {
        var next = step + 1;
        return Enabled && next >= Options.StartStep && next < Options.EndStep && !resets.Contains(next) && SkipOf(next) > 0;
    }

    int SkipOf(int step) => step >= 0 && step < Steps ? SkipCounts[step] : 0;
}
