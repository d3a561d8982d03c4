namespace RasNative.Loaders;

/// <summary>
/// Opens a checkpoint given a .safetensors file, an .index.json, or a folder holding one, with any fp8 scale
/// companions folded into their weights (<see cref="Fp8ScaledSource"/>).
/// </summary>
public static class CheckpointOpener
{
    /// <summary>Folder candidates in order of preference (diffusers' names first).</summary>
    static readonly string[] KnownFileNames =
    [
        "diffusion_pytorch_model.safetensors",
        "diffusion_pytorch_model.safetensors.index.json",
        "model.safetensors",
        "model.safetensors.index.json",
    ];

    public static ITensorSource Open(string path)
    {
        var source = OpenRaw(path);
        try
        {
            return Fp8ScaledSource.Fold(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    static ITensorSource OpenRaw(string path)
    {
        if (File.Exists(path)) return OpenFile(path);
        if (!Directory.Exists(path)) throw new SafetensorsException($"{path}: no such file or folder");

        foreach (var name in KnownFileNames)
        {
            var candidate = Path.Combine(path, name);
            if (File.Exists(candidate)) return OpenFile(candidate);
        }
        var safetensors = Directory.GetFiles(path, "*.safetensors");
        if (safetensors.Length == 1) return SafetensorsFile.Open(safetensors[0]);
        throw new SafetensorsException(
            $"{path}: no checkpoint found (looked for {string.Join(", ", KnownFileNames)}, or exactly one *.safetensors file; found {safetensors.Length})");
    }

    static ITensorSource OpenFile(string path) =>
        path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase) ? ShardedCheckpoint.Open(path) : SafetensorsFile.Open(path);
}
