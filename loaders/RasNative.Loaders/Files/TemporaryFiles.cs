using System.Collections.Concurrent;

namespace RasNative.Loaders.Files;

/// <summary>
/// Every temp file the process is writing, so an interrupted run (SIGINT/SIGTERM, see <see cref="DeleteAll"/>)
/// leaves none behind: outputs are written to hidden temp files that can reach gigabytes.
/// </summary>
public static class TemporaryFiles
{
    static readonly ConcurrentDictionary<string, byte> Live = new();

    /// <summary>A fresh hidden temp path beside <paramref name="target"/>, registered until <see cref="Release"/>.</summary>
    public static string Beside(string target, string purpose = "tmp")
    {
        var full = Path.GetFullPath(target);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.{purpose}");
        Live[temp] = 0;
        return temp;
    }

    /// <summary>Deletes the temp file if it still exists and forgets it.</summary>
    public static void Release(string temp)
    {
        TryDelete(temp);
        Live.TryRemove(temp, out _);
    }

    /// <summary>Forgets a temp file that was renamed into place.</summary>
    public static void Forget(string temp) => Live.TryRemove(temp, out _);

    /// <summary>Deletes every registered temp file (the signal handlers' last act).</summary>
    public static void DeleteAll()
    {
        foreach (var temp in Live.Keys) Release(temp);
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done about a temp file that cannot be removed; the rename never happened.
        }
    }
}
