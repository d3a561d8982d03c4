namespace RasNative.Loaders.Files;

/// <summary>
/// Writes a file through a hidden temp file beside it and a rename, so a failure or a signal leaves nothing
/// behind and readers never see half a file. The rename only ever replaces a regular file: an existing
/// folder, device or FIFO is refused, and a symbolic link is written through (its target is replaced).
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var target = Prepare(path);
        var temp = TemporaryFiles.Beside(target);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Commit(temp, target, path);
        }
        finally
        {
            TemporaryFiles.Release(temp);
        }
    }

    /// <summary>
    /// The path the rename must replace: <paramref name="path"/> with symbolic links resolved. Throws
    /// <see cref="OutputPathException"/> when its folder is missing or it names something other than a regular file.
    /// </summary>
    public static string Prepare(string path)
    {
        var full = Path.GetFullPath(path);
        var target = new FileInfo(full).LinkTarget == null ? full : File.ResolveLinkTarget(full, returnFinalTarget: true)!.FullName;
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder)) throw new OutputPathException($"{path}: output folder does not exist");
        RequireReplaceable(target, path);
        return target;
    }

    /// <summary>Renames a finished temp file onto its target, checking again that the target is still replaceable.</summary>
    public static void Commit(string temp, string target, string shownPath)
    {
        RequireReplaceable(target, shownPath);
        File.Move(temp, target, overwrite: true);
        TemporaryFiles.Forget(temp);
    }

    static void RequireReplaceable(string target, string shownPath)
    {
        var kind = FileIdentity.Of(target).Kind;
        if (kind is FileKind.Directory) throw new OutputPathException($"{shownPath}: is a folder, not a file to write");
        if (kind is FileKind.Other) throw new OutputPathException($"{shownPath}: is a device, FIFO or socket, not a regular file; refusing to replace it");
    }
}
