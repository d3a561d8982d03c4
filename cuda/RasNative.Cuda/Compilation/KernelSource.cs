using System.Text.RegularExpressions;

namespace RasNative.Cuda.Compilation;

/// <summary>One kernel source file (kernels/*.cu) or header (kernels/*.cuh).</summary>
public sealed partial record KernelSource(string FileName, string Text)
{
    public string Name => Path.GetFileNameWithoutExtension(FileName);

    /// <summary>The kernels this source defines: every <c>extern "C" __global__ void NAME(</c> outside comments.</summary>
    public IReadOnlyList<string> Kernels => KernelRegex().Matches(CommentRegex().Replace(Text, " ")).Select(m => m.Groups[1].Value).ToArray();

    [GeneratedRegex(@"extern\s+""C""\s+__global__\s+void\s+(?:__launch_bounds__\s*\([^)]*\)\s*)?([A-Za-z_]\w*)\s*\(")]
    private static partial Regex KernelRegex();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentRegex();
}

/// <summary>
/// The kernel sources a backend compiles: the ones embedded in this assembly, or a folder of *.cu and *.cuh files
/// (RASNATIVE_KERNEL_SOURCES, or <see cref="FromDirectory"/>) to try kernel changes without rebuilding.
/// </summary>
public sealed class KernelSourceSet
{
    const string ResourcePrefix = "kernels/";
    public const string DirectoryVariable = "RASNATIVE_KERNEL_SOURCES";

    static readonly Lazy<KernelSourceSet> EmbeddedSet = new(LoadEmbedded);

    KernelSourceSet(IReadOnlyList<KernelSource> files, string origin)
    {
        Sources = files.Where(f => f.FileName.EndsWith(".cu", StringComparison.Ordinal)).OrderBy(f => f.FileName, StringComparer.Ordinal).ToArray();
        Headers = files.Where(f => f.FileName.EndsWith(".cuh", StringComparison.Ordinal)).OrderBy(f => f.FileName, StringComparer.Ordinal).ToArray();
        Origin = origin;
        var owners = Sources.SelectMany(s => s.Kernels.Select(k => (Kernel: k, s.FileName))).GroupBy(p => p.Kernel).FirstOrDefault(g => g.Count() > 1);
        if (owners != null)
            throw new InvalidOperationException($"kernel {owners.Key} is defined in {string.Join(" and ", owners.Select(o => o.FileName))} ({origin})");
    }

    /// <summary>Every .cu file, ordered by name.</summary>
    public IReadOnlyList<KernelSource> Sources { get; }

    /// <summary>Headers handed to NVRTC by name (its include path has no file system behind it).</summary>
    public IReadOnlyList<KernelSource> Headers { get; }

    /// <summary>"embedded" or the folder they were read from.</summary>
    public string Origin { get; }

    public static KernelSourceSet Embedded => EmbeddedSet.Value;

    /// <summary>$RASNATIVE_KERNEL_SOURCES when set, else the embedded sources.</summary>
    public static KernelSourceSet Default =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory ? FromDirectory(directory) : Embedded;

    /// <summary>The *.cu and *.cuh files of <paramref name="directory"/> (not its subfolders).</summary>
    public static KernelSourceSet FromDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"kernel source folder {directory} not found");
        var files = Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".cu", StringComparison.Ordinal) || f.EndsWith(".cuh", StringComparison.Ordinal))
            .Select(f => new KernelSource(Path.GetFileName(f), File.ReadAllText(f))).ToArray();
        if (!files.Any(f => f.FileName.EndsWith(".cu", StringComparison.Ordinal)))
            throw new InvalidOperationException($"kernel source folder {directory} has no .cu file");
        return new KernelSourceSet(files, Path.GetFullPath(directory));
    }

    /// <summary>The source that defines <paramref name="kernel"/>.</summary>
    public KernelSource SourceOf(string kernel) => Sources.FirstOrDefault(s => s.Kernels.Contains(kernel))
        ?? throw new KeyNotFoundException($"no kernel named {kernel} in the kernel sources ({Origin})");

    static KernelSourceSet LoadEmbedded()
    {
        var assembly = typeof(KernelSource).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new KernelSource(n[ResourcePrefix.Length..], reader.ReadToEnd());
            })
            .ToArray();
        return new KernelSourceSet(files, "embedded");
    }
}
