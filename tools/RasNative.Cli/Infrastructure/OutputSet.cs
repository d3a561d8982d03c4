using RasNative.Loaders.Files;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// The files one command writes, checked before any work and committed together at the end: each output is
/// refused when its folder is missing, when it names a folder, device or FIFO, when it is one of the command's
/// inputs (the same file by device and inode, so links and "..") or another output. Outputs are written to
/// hidden temp files and renamed into place only by <see cref="Commit"/>, after the whole command succeeded; a
/// failure or a signal (see <see cref="TemporaryFiles"/>) leaves neither the main output nor its side outputs.
/// </summary>
public sealed class OutputSet : IDisposable
{
    readonly List<(string Shown, FileIdentity Identity)> inputs = [];
    readonly List<Output> outputs = [];

    /// <summary>Registers input files, or every file under an input folder (a model folder's weights and configs).</summary>
    public void AddInput(string? path)
    {
        if (path is null) return;
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4 }))
                inputs.Add((file, FileIdentity.Of(file)));
        }
        else
        {
            inputs.Add((path, FileIdentity.Of(path)));
        }
    }

    /// <summary>Checks <paramref name="path"/> as an output of <paramref name="flag"/> now, before any work.</summary>
    public Output Declare(string flag, string path)
    {
        string target;
        try
        {
            target = AtomicFile.Prepare(path);
        }
        catch (OutputPathException e)
        {
            throw new UsageException($"{flag} {e.Message}");
        }
        var identity = FileIdentity.Of(target);
        foreach (var (shown, input) in inputs)
            if (identity.SameFileAs(input)) throw new UsageException($"{flag} {path}: is an input of this command ({shown}); refusing to overwrite it");
        foreach (var other in outputs)
            if (other.Target == target) throw new UsageException($"{flag} {path}: is also the output of {other.Flag}");
        var output = new Output(flag, path, target);
        outputs.Add(output);
        return output;
    }

    /// <summary>Writes <paramref name="output"/>'s content to its temp file (the target is untouched until <see cref="Commit"/>).</summary>
    public void Write(Output output, Action<Stream> write)
    {
        output.Temp ??= TemporaryFiles.Beside(output.Target);
        using var stream = new FileStream(output.Temp, FileMode.Create, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Renames every written output into place, main output first (declaration order).</summary>
    public void Commit()
    {
        foreach (var output in outputs.Where(o => o.Temp != null))
        {
            try
            {
                AtomicFile.Commit(output.Temp!, output.Target, output.Path);
            }
            catch (OutputPathException e)
            {
                throw new UsageException($"{output.Flag} {e.Message}");
            }
            output.Temp = null;
        }
    }

    public void Dispose()
    {
        foreach (var output in outputs.Where(o => o.Temp != null)) TemporaryFiles.Release(output.Temp!);
    }

    /// <summary>One declared output: the flag that named it, the path as given and the file the rename replaces.</summary>
    public sealed class Output(string flag, string path, string target)
    {
        public string Flag { get; } = flag;
        public string Path { get; } = path;
        public string Target { get; } = target;
        internal string? Temp { get; set; }
    }
}
