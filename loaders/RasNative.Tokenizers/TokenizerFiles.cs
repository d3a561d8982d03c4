using RasNative.Loaders;

namespace RasNative.Tokenizers;

/// <summary>
/// Which files make a tokenizer folder. RasNative reads the files transformers' slow tokenizers read (vocab.json +
/// merges.txt for CLIP, spiece.model for T5); real downloads also hold the fast tokenizer's tokenizer.json, which is
/// not read. Failures are <see cref="ModelFolderException"/>s naming the folder and the missing file.
/// </summary>
public static class TokenizerFiles
{
    public const string ClipVocab = "vocab.json";
    public const string ClipMerges = "merges.txt";
    public const string SentencePieceModel = "spiece.model";
    public const string FastTokenizer = "tokenizer.json";

    public static bool IsClipFolder(string folder) =>
        File.Exists(Path.Combine(folder, ClipVocab)) && File.Exists(Path.Combine(folder, ClipMerges));

    public static bool IsT5Folder(string folder) => File.Exists(Path.Combine(folder, SentencePieceModel));

    /// <summary>The paths of <paramref name="fileNames"/> inside <paramref name="folder"/>, or one clear error.</summary>
    internal static string[] Require(string folder, string kind, params string[] fileNames)
    {
        if (!Directory.Exists(folder)) throw new ModelFolderException($"{folder}: {kind} tokenizer folder not found");
        var missing = fileNames.Where(f => !File.Exists(Path.Combine(folder, f))).ToArray();
        if (missing.Length == 0) return fileNames.Select(f => Path.Combine(folder, f)).ToArray();
        string needs = string.Join(" + ", fileNames);
        if (File.Exists(Path.Combine(folder, FastTokenizer)))
            throw new ModelFolderException(
                $"{folder}: only the fast tokenizer's {FastTokenizer} is here; a {kind} tokenizer needs {needs} (missing: {string.Join(", ", missing)})");
        throw new ModelFolderException($"{folder}: {string.Join(", ", missing)} not found ({kind} tokenizer needs {needs})");
    }
}
