using RasNative.Sampler.Generation;
using Spectre.Console;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// One progress display for a whole command, a line per stage (each text encoder, the denoising steps, …): a stage
/// completes when the next starts. Denoising shows the step across all images, the run's average it/s and the active
/// patches. Nothing is shown when output is redirected.
/// </summary>
public sealed class PipelineProgress
{
    readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);
    ProgressTask? current;
    string currentName = "";
    TimeSpan denoising;
    int stepsDone;

    PipelineProgress()
    {
    }

    /// <summary>A stage and its units of work (1 for an encoder, images × steps for denoising).</summary>
    public sealed record Stage(string Name, int Units);

    public static T Run<T>(IReadOnlyList<Stage> stages, Func<PipelineProgress, T> work)
    {
        var progress = new PipelineProgress();
        if (Console.IsOutputRedirected) return work(progress);
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                foreach (var stage in stages) progress.tasks[stage.Name] = context.AddTask(stage.Name, autoStart: false, maxValue: Math.Max(1, stage.Units));
                result = work(progress);
                progress.Complete();
            });
        return result;
    }

    /// <summary>Marks the running stage done and starts <paramref name="stage"/>.</summary>
    public void Start(string stage)
    {
        Complete();
        currentName = stage;
        if (!tasks.TryGetValue(stage, out current)) return;
        current.StartTask();
    }

    /// <summary>One denoising step of the running stage.</summary>
    public void Step(StepReport report)
    {
        stepsDone++;
        denoising += report.Elapsed;
        if (current == null) return;
        int active = report.ActivePatches?.Length ?? report.Patches;
        double rate = stepsDone / Math.Max(denoising.TotalSeconds, 1e-9);   // the run's average, not the last step's
        current.Description = $"{currentName} step {stepsDone}/{(int)current.MaxValue} {rate:F2} it/s, {active}/{report.Patches} patches";
        current.Increment(1);
    }

    void Complete()
    {
        if (current == null) return;
        current.Value = current.MaxValue;
        current.StopTask();
        current = null;
    }
}
