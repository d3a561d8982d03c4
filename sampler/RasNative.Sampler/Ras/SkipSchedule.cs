namespace RasNative.Sampler.Ras;

/// <summary>
/// How many patches each step skips (the official <c>generate_skip_token_list</c>). Entry j is used by the
/// selection made at the end of step j − 1.
/// </summary>
public static class SkipSchedule
{
    public static int[] Build(RasOptions options, int steps, int patches)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patches, 1);
        Validate(options);
        var skip = new int[steps];
        // At ratio 1 every step is dense and the schedule is never read, so settings that would be out of range
        // there (the official code asserts on any dynamic schedule at ratio 1) are not an error.
        if (options.SampleRatio >= 1.0) return skip;

        var average = (int)((1.0 - options.SampleRatio) * patches);
        for (var i = options.StartStep; i < steps; i++)
        {
            if (i < 0 || options.ResetSteps.Contains(i)) continue;
            skip[i] = options.SkipNumStepLength == 0 ? average : DynamicCount(options, steps, average, i);
            if (skip[i] >= 0 && skip[i] <= patches) continue;
            if (!options.ClampSkipCounts)
                throw new RasConfigurationException(
                    $"RAS skips {skip[i]} of {patches} patches at step {i}; the dynamic schedule must stay within " +
                    $"[0, {patches}]: adjust --ras-skip-num-step ({options.SkipNumStep}), " +
                    $"--ras-skip-num-step-length ({options.SkipNumStepLength}) or --ras-ratio ({options.SampleRatio}).");
            skip[i] = Math.Clamp(skip[i], 0, patches);
        }
        return skip;
    }

    // The count moves by SkipNumStep per stage of SkipNumStepLength steps, centred on the stage in the middle of
    // [0, steps + start), then is floored (Python floor division, negatives included) to the rounding unit.
    static int DynamicCount(RasOptions options, int steps, int average, int step)
    {
        var length = options.SkipNumStepLength;
        var centre = (steps + options.StartStep) / length / 2;
        var count = average + options.SkipNumStep * (step / length - centre);
        return FloorDiv(count, options.SkipRoundingUnit) * options.SkipRoundingUnit;
    }

    static void Validate(RasOptions options)
    {
        if (!(options.SampleRatio > 0.0 && options.SampleRatio <= 1.0))
            throw new RasConfigurationException($"--ras-ratio must be in (0, 1], got {options.SampleRatio}");
        if (!(options.HighRatio >= 0.0 && options.HighRatio <= 1.0))
            throw new RasConfigurationException($"--ras-high-ratio must be in [0, 1], got {options.HighRatio}");
        // Step start − 1 stores the K/V caches the first RAS step reads, so it must exist.
        if (options.StartStep < 1)
            throw new RasConfigurationException($"--ras-start must be at least 1 (step start − 1 stores the K/V caches), got {options.StartStep}");
        if (options.SkipNumStepLength < 0)
            throw new RasConfigurationException($"--ras-skip-num-step-length must not be negative, got {options.SkipNumStepLength}");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SkipRoundingUnit, 1, nameof(options.SkipRoundingUnit));
    }

    static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}
