using System.Globalization;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// Up-front memory checks: a run that cannot fit is refused with the estimate before anything is loaded,
/// instead of dying hours later with an OutOfMemoryException (or swapping the machine to a halt).
/// </summary>
public static class MemoryBudget
{
    /// <summary>Overrides the detected host memory (bytes, or with a K/M/G suffix), e.g. to leave room on a shared machine.</summary>
    public const string HostMemoryVariable = "RASNATIVE_HOST_MEMORY";

    /// <summary>
    /// Host memory the run may still take: $RASNATIVE_HOST_MEMORY when set, else MemAvailable (page cache counts
    /// as free), else the GC's limit.
    /// </summary>
    public static long AvailableHostBytes()
    {
        if (Environment.GetEnvironmentVariable(HostMemoryVariable) is { Length: > 0 } given)
            return ParseBytes(given) ?? throw new UsageException($"{HostMemoryVariable}='{given}': expected a byte count such as 8G or 512M");
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kib))
                    return Math.Min(kib * 1024, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        }
        catch (IOException)
        {
            // Not Linux: the GC's view of the machine (container limits included) is the next best figure.
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>Refuses the run (exit 2) when the parts add up to more than <paramref name="available"/>; the message lists them.</summary>
    public static void Require(string what, IReadOnlyList<(string Part, long Bytes)> parts, long available, string where)
    {
        long total = 0;
        foreach (var (_, bytes) in parts) total = bytes == long.MaxValue || total == long.MaxValue ? long.MaxValue : SaturatingAdd(total, bytes);
        if (total <= available) return;
        throw new UsageException($"{what} needs about {Bytes(total)} ({string.Join(" + ", parts.Where(p => p.Bytes > 0).Select(p => $"{p.Part} {Bytes(p.Bytes)}"))}), " +
            $"but only {Bytes(available)} of {where} is available");
    }

    static long? ParseBytes(string text)
    {
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        var digits = unit == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value > 0 && value <= long.MaxValue / unit
            ? value * unit : null;
    }

    /// <summary>Free bytes on the file system holding <paramref name="path"/>'s folder.</summary>
    public static long FreeDiskBytes(string path) =>
        new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(path))!).AvailableFreeSpace;

    public static string Bytes(long bytes) => bytes == long.MaxValue ? "more than 8 EB"
        : bytes >= 1L << 30 ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
        : bytes >= 1L << 20 ? (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";

    static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
