namespace RasNative.Tokenizers.Tests;

/// <summary>A fresh folder under the system temp directory, deleted on Dispose.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rasnative-tokenizers-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies the named files of a fixture tokenizer folder here.</summary>
    public TempFolder With(string sourceFolder, params string[] names)
    {
        foreach (var name in names) System.IO.File.Copy(System.IO.Path.Combine(sourceFolder, name), File(name));
        return this;
    }

    public TempFolder WithText(string name, string text)
    {
        System.IO.File.WriteAllText(File(name), text);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
