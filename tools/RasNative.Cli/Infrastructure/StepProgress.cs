using RasNative.Sampler.Generation;
using Spectre.Console;

namespace RasNative.Cli.Infrastructure;

/// <summary>A progress bar (step, average it/s, active tokens) on a terminal; nothing when output is redirected.</summary>
public static class StepProgress
{
    public static T Run<T>(string title, int steps, Func<Action<StepReport>, T> work)
    {
        if (Console.IsOutputRedirected) return work(_ => { });
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: steps);
                var total = TimeSpan.Zero;
                result = work(report =>
                {
                    int active = report.ActivePatches?.Length ?? report.Patches;
                    total += report.Elapsed;
                    double rate = (report.Step + 1) / Math.Max(total.TotalSeconds, 1e-9);   // the run's average, not the last step's
                    task.Description = $"{title} step {report.Step + 1}/{report.Steps} {rate:F2} it/s, {active}/{report.Patches} patches";
                    task.Increment(1);
                });
            });
        return result;
    }
}
