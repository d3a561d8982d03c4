namespace RasNative.Cuda.Native;

/// <summary>None of a CUDA library's known file names could be loaded; the message says what was looked for and where.</summary>
public sealed class CudaLibraryNotFoundException(string library, IReadOnlyList<string> sonames, IReadOnlyList<string> folders, IReadOnlyList<string> tried)
    : DllNotFoundException(
        $"{library} library not found: looked for {string.Join(", ", sonames)} in {(folders.Count == 0 ? "(no folders)" : string.Join(", ", folders))} " +
        $"and through the system loader; tried loading: {(tried.Count == 0 ? "(nothing)" : string.Join(", ", tried))}")
{
    public string Library { get; } = library;

    public IReadOnlyList<string> Tried { get; } = tried;
}
