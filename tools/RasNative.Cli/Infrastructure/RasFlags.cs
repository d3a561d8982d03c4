using System.CommandLine;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// The RAS flags of generate/bench. Unset flags take the model family's defaults (the official SD3 or Lumina
/// script's values, scaled to the run); explicit flags are used exactly as given, as the official code does.
/// </summary>
public sealed class RasFlags
{
    public Option<double?> Ratio { get; } = CliOptions.Number<double?>("--ras-ratio", "average share of patches computed on RAS steps, in (0, 1]; 1 = dense (default 0.5)", 0, 1, minExclusive: true);
    public Option<int?> Start { get; } = CliOptions.Number<int?>("--ras-start", "first step that may be a RAS step (default 4)", 0);
    public Option<int?> End { get; } = CliOptions.Number<int?>("--ras-end", "last step that may be a RAS step, at most --steps (default: steps)", 0);
    public Option<string?> Reset { get; } = new("--ras-reset") { Description = "dense error-reset steps, e.g. 12,20, or 'none' (default: 12/28 and 20/28 of the run)" };
    public Option<string?> Metric { get; } = CliOptions.Choice<string?>("--ras-metric", "patch score (default std)", "std", "l2norm");
    public Option<double?> HighRatio { get; } = CliOptions.Number<double?>("--ras-high-ratio", "share of skipped patches taken from the top scores, in [0, 1] (default 0.3)", 0, 1);
    public Option<double?> StarvationScale { get; } = CliOptions.Number<double?>("--ras-starvation-scale", "starvation exponent scale, ≥ 0 (default 0.1, the value the official code uses)", 0, 1e6);
    public Option<int?> SkipNumStep { get; } = CliOptions.Number<int?>("--ras-skip-num-step", "dynamic schedule: change of the skip count per stage (default 0)");
    public Option<int?> SkipNumStepLength { get; } = CliOptions.Number<int?>("--ras-skip-num-step-length", "dynamic schedule: steps per stage; 0 = static (default 0)", 0);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Ratio, Start, End, Reset, Metric, HighRatio, StarvationScale, SkipNumStep, SkipNumStepLength })
            command.Options.Add(option);
    }

    /// <summary>The run's options, validated against its step and patch counts (errors name the flags).</summary>
    public RasOptions Build(ParseResult parsed, int steps, int patches, RasOptions defaults)
    {
        bool explicitSchedule = parsed.GetResult(SkipNumStep) != null || parsed.GetResult(SkipNumStepLength) != null;
        if (explicitSchedule) defaults = defaults with { SkipRoundingUnit = 64, ClampSkipCounts = false };
        var options = defaults with
        {
            SampleRatio = parsed.GetValue(Ratio) ?? defaults.SampleRatio,
            StartStep = parsed.GetValue(Start) ?? defaults.StartStep,
            EndStep = parsed.GetValue(End) ?? defaults.EndStep,
            ResetSteps = ParseResets(parsed.GetValue(Reset), steps) ?? defaults.ResetSteps,
            Metric = parsed.GetValue(Metric) == "l2norm" ? RasMetric.L2Norm : defaults.Metric,
            HighRatio = parsed.GetValue(HighRatio) ?? defaults.HighRatio,
            StarvationScale = parsed.GetValue(StarvationScale) ?? defaults.StarvationScale,
            SkipNumStep = parsed.GetValue(SkipNumStep) ?? defaults.SkipNumStep,
            SkipNumStepLength = parsed.GetValue(SkipNumStepLength) ?? defaults.SkipNumStepLength,
        };
        if (options.SampleRatio == 1) return options;   // dense: the schedule is never read
        if (parsed.GetValue(End) is { } end && end > steps)
            throw new UsageException($"--ras-end {end}: past the last step (at most --steps {steps})");
        if (parsed.GetValue(Start) is { } start && start >= steps)
            throw new UsageException($"--ras-start {start}: no step left for RAS (must be below --steps {steps})");
        bool explicitRange = parsed.GetResult(Start) != null || parsed.GetResult(End) != null;
        if (explicitRange && options.EndStep < options.StartStep)
            throw new UsageException($"--ras-end ({options.EndStep}) must not be before --ras-start ({options.StartStep})");
        try
        {
            _ = new RasStepPlan(options, steps, patches);
        }
        catch (RasConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
        return options;
    }

    static int[]? ParseResets(string? text, int steps)
    {
        if (text == null) return null;
        if (text.Trim() == "none") return [];
        var resets = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, out int step) || step < 0)
                throw new UsageException($"--ras-reset: '{part}' is not a step number (expected e.g. 12,20 or none)");
            if (step >= steps)
                throw new UsageException($"--ras-reset: step {step} is not below --steps {steps}");
            resets.Add(step);
        }
        return [.. resets];
    }
}
