namespace RasNative.Cuda.Compilation;

/// <summary>One embedded kernel source file (kernels/*.cu) or header (kernels/*.cuh).</summary>
public sealed record KernelSource(string FileName, string Text)
{
    const string Prefix = "kernels/";

    static readonly Lazy<(KernelSource[] Sources, KernelSource[] Headers)> Embedded = new(Load);

    /// <summary>Every .cu file, ordered by name.</summary>
    public static IReadOnlyList<KernelSource> All => Embedded.Value.Sources;

    /// <summary>Headers handed to NVRTC by name (its include path has no file system behind it).</summary>
    public static IReadOnlyList<KernelSource> Headers => Embedded.Value.Headers;

    public string Name => Path.GetFileNameWithoutExtension(FileName);

    static (KernelSource[], KernelSource[]) Load()
    {
        var assembly = typeof(KernelSource).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new KernelSource(n[Prefix.Length..], reader.ReadToEnd());
            })
            .ToArray();
        return (files.Where(f => f.FileName.EndsWith(".cu", StringComparison.Ordinal)).ToArray(),
            files.Where(f => f.FileName.EndsWith(".cuh", StringComparison.Ordinal)).ToArray());
    }
}
