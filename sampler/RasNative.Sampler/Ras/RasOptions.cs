namespace RasNative.Sampler.Ras;

/// <summary>
/// RAS hyperparameters as the official manager holds them (<c>ras_manager.MANAGER</c>), plus two settings for
/// schedules derived from defaults. <see cref="SkipNumStepLength"/> = 0 gives the static skip schedule.
/// </summary>
/// <param name="SampleRatio">Average share of patches kept active on RAS steps; 1 turns RAS off.</param>
/// <param name="StartStep">First step that may be a RAS step; steps before it are dense warm-up.</param>
/// <param name="EndStep">Last step that may be a RAS step (inclusive, as in the official code).</param>
/// <param name="ResetSteps">Dense "error-reset" steps inside the RAS range; they also refresh the K/V caches.</param>
/// <param name="HighRatio">Share of the skipped patches taken from the top of the ascending score order.</param>
/// <param name="StarvationScale">Exponent scale of the starvation factor; the official code always uses 0.1.</param>
/// <param name="SkipNumStep">Dynamic schedule: change of the skip count per stage.</param>
/// <param name="SkipNumStepLength">Dynamic schedule: steps per stage; 0 selects the static schedule.</param>
/// <param name="SkipRoundingUnit">Dynamic skip counts are floored to multiples of this (64 in the official code).</param>
/// <param name="ClampSkipCounts">
/// Clamp dynamic skip counts into [0, patches] instead of rejecting them; used by schedules derived from
/// defaults, whereas explicitly given flags must stay in range.
/// </param>
public sealed record RasOptions(
    double SampleRatio,
    int StartStep,
    int EndStep,
    IReadOnlyList<int> ResetSteps,
    RasMetric Metric,
    double HighRatio,
    double StarvationScale = 0.1,
    int SkipNumStep = 0,
    int SkipNumStepLength = 0,
    int SkipRoundingUnit = 64,
    bool ClampSkipCounts = false)
{
    /// <summary>The SD3 script's settings scaled to <paramref name="steps"/>: resets at 12/28 and 20/28 of the run.</summary>
    public static RasOptions Sd3Defaults(int steps) =>
        new(0.5, 4, steps, ScaledResets(steps, 28, [12, 20], 4), RasMetric.Std, 0.3);

    /// <summary>
    /// The Lumina-Next script's settings scaled to <paramref name="steps"/> and <paramref name="patches"/>: resets at
    /// 12/30 and 22/30 of the run, and the dynamic schedule (+256 patches every 4 steps, multiples of 64 at 4096
    /// patches) scaled by patches/4096 and clamped into [0, patches].
    /// </summary>
    public static RasOptions LuminaDefaults(int steps, int patches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patches, 1);
        return new(0.5, 4, steps, ScaledResets(steps, 30, [12, 22], 4), RasMetric.Std, 1.0,
            SkipNumStep: (int)RoundHalfEven(256.0 * patches / 4096),
            SkipNumStepLength: 4,
            SkipRoundingUnit: Math.Max(1, (int)RoundHalfEven(64.0 * patches / 4096)),
            ClampSkipCounts: true);
    }

    // Reset steps r·N/base of a script written for `base` steps, kept only inside the RAS range [start, N).
    static int[] ScaledResets(int steps, int scriptSteps, int[] scriptResets, int start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return scriptResets
            .Select(r => (int)RoundHalfEven((double)r * steps / scriptSteps))
            .Where(r => r >= start && r < steps)
            .Distinct()
            .ToArray();
    }

    // Python's round() rounds halves to even; the scaled defaults follow it.
    static double RoundHalfEven(double value) => Math.Round(value, MidpointRounding.ToEven);
}
