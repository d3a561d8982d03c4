using System.Diagnostics;
using System.Globalization;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// The one line a successful command prints on stderr (also when output is redirected): what it wrote, the
/// work done, the wall time and the peak memory.
/// </summary>
public static class RunSummary
{
    public static void Print(string verb, string wrote, string work, Stopwatch clock) =>
        Console.Error.WriteLine($"{verb}: wrote {wrote}; {work}; {Seconds(clock.Elapsed)}; peak memory {MemoryBudget.Bytes(PeakHostBytes())}");

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>The process's peak resident set (VmHWM), else .NET's peak working set.</summary>
    public static long PeakHostBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                    && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kib))
                    return kib * 1024;
        }
        catch (IOException)
        {
            // Not Linux.
        }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
