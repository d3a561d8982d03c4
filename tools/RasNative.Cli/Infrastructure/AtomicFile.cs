namespace RasNative.Cli.Infrastructure;

/// <summary>Writes a file through a temp file in the same folder and a rename, so a failure leaves nothing behind.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        RequireFolder(full);
        var temp = full + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var stream = File.Create(temp)) write(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Fails before any work is done when an output's folder does not exist.</summary>
    public static void RequireFolder(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) throw new UsageException($"{path}: output folder does not exist");
    }
}
