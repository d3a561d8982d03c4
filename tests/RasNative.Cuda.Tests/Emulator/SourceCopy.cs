using RasNative.Cuda.Compilation;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>A copy of the kernel sources in a temporary folder, with one file's text changed; deleted on dispose.</summary>
sealed class SourceCopy : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "rasnative-kernels-" + Guid.NewGuid().ToString("N"));

    public SourceCopy(KernelSourceSet original, string fileName, Func<string, string> change)
    {
        Directory.CreateDirectory(folder);
        bool changed = false;
        foreach (var file in original.Sources.Concat(original.Headers))
        {
            var text = file.FileName == fileName ? change(file.Text) : file.Text;
            changed |= text != file.Text;
            File.WriteAllText(Path.Combine(folder, file.FileName), text);
        }
        if (!changed) throw new InvalidOperationException($"the change left {fileName} as it was");
        Sources = KernelSourceSet.FromDirectory(folder);
    }

    public KernelSourceSet Sources { get; }

    /// <summary>Makes <paramref name="kernel"/> return at once: its first statement becomes <c>return;</c>.</summary>
    public static string DisableKernel(string text, string kernel)
    {
        int start = text.IndexOf($"extern \"C\" __global__ void {kernel}(", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"no kernel {kernel}");
        int body = text.IndexOf('{', start);
        return text[..(body + 1)] + " return;" + text[(body + 1)..];
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
