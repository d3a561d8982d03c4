using System.Runtime;

namespace RasNative.Cli.Bench;

/// <summary>
/// Warm-up that lasts until the JIT has tiered up: tiered compilation first runs quick tier-0 code and swaps in
/// optimised code in the background after a method has been called often enough, so a fixed single warm-up left
/// the first timed runs 5–10 % slow. Runs the work until a whole run compiles nothing new, twice in a row.
/// </summary>
public static class JitWarmup
{
    const int MinimumRuns = 2, MaximumRuns = 30;
    static readonly TimeSpan TierUpDelay = TimeSpan.FromMilliseconds(150);   // > the runtime's 100 ms call-counting delay

    /// <summary>Returns the number of warm-up runs made.</summary>
    public static int Run(Action work, Action<int> onRun)
    {
        int quiet = 0, runs = 0;
        while (runs < MaximumRuns && (runs < MinimumRuns || quiet < 2))
        {
            long before = JitInfo.GetCompiledMethodCount();
            onRun(++runs);
            work();
            Thread.Sleep(TierUpDelay);   // lets the background tier-1 compilations this run triggered land
            quiet = JitInfo.GetCompiledMethodCount() == before ? quiet + 1 : 0;
        }
        return runs;
    }
}
