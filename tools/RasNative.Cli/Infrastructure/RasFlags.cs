using System.CommandLine;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// The RAS flags of generate/bench. Unset flags take the model family's defaults (the official SD3 or Lumina
/// script's values, scaled to the run); explicit flags are used exactly as given, as the official code does.
/// </summary>
public sealed class RasFlags
{
    public Option<double?> Ratio { get; } = new("--ras-ratio") { Description = "average share of patches computed on RAS steps, in (0, 1]; 1 = dense (default 0.5)" };
    public Option<int?> Start { get; } = new("--ras-start") { Description = "first step that may be a RAS step (default 4)" };
    public Option<int?> End { get; } = new("--ras-end") { Description = "last step that may be a RAS step (default: steps)" };
    public Option<string?> Reset { get; } = new("--ras-reset") { Description = "dense error-reset steps, e.g. 12,20, or 'none' (default: 12/28 and 20/28 of the run)" };
    public Option<string?> Metric { get; } = new("--ras-metric") { Description = "patch score: std | l2norm (default std)" };
    public Option<double?> HighRatio { get; } = new("--ras-high-ratio") { Description = "share of skipped patches taken from the top scores (default 0.3)" };
    public Option<double?> StarvationScale { get; } = new("--ras-starvation-scale") { Description = "starvation exponent scale (default 0.1, the value the official code uses)" };
    public Option<int?> SkipNumStep { get; } = new("--ras-skip-num-step") { Description = "dynamic schedule: change of the skip count per stage (default 0)" };
    public Option<int?> SkipNumStepLength { get; } = new("--ras-skip-num-step-length") { Description = "dynamic schedule: steps per stage; 0 = static (default 0)" };

    public void AddTo(Command command)
    {
        Metric.AcceptOnlyFromAmong("std", "l2norm");
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
        if (!(options.SampleRatio > 0 && options.SampleRatio <= 1))
            throw new UsageException($"--ras-ratio must be in (0, 1], got {options.SampleRatio}");
        if (options.SampleRatio == 1) return options;   // dense: the schedule is never read
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
