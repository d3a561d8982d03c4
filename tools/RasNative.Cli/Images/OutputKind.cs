using RasNative.Cli.Infrastructure;

namespace RasNative.Cli.Images;

/// <summary>What an --output path asks for, by its extension: an image (PNG) or tensors (safetensors).</summary>
public enum OutputKind
{
    Png,
    Safetensors,
}

public static class OutputKinds
{
    /// <summary>The kind <paramref name="path"/> names; any other extension is a usage error naming the flag, before any work.</summary>
    public static OutputKind Of(string flag, string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => OutputKind.Png,
        ".safetensors" => OutputKind.Safetensors,
        var other => throw new UsageException($"{flag} {path}: the extension must be .png (an image) or .safetensors (tensors), not '{other}'"),
    };
}
