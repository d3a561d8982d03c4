using RasNative.Loaders;
using RasNative.Tokenizers.Clip;
using RasNative.Tokenizers.T5;
using Xunit;

namespace RasNative.Tokenizers.Tests;

/// <summary>Folder rules: which files identify a tokenizer, the real download layout, and one clear error per bad input.</summary>
public sealed class LoadingTests
{
    static readonly string ClipL = TokenizerCases.Folder("pipeline", "tokenizer");
    static readonly string ClipG = TokenizerCases.Folder("pipeline", "tokenizer_2");
    static readonly string T5 = TokenizerCases.Folder("pipeline", "tokenizer_3");
    const string Prompt = "an astronaut riding a horse on mars, highly detailed!";

    /// <summary>A placeholder for the fast tokenizer's file, which real downloads hold and RasNative never reads.</summary>
    const string FastTokenizerJson = """{"version": "1.0", "model": {"type": "placeholder"}}""";

    [Fact]
    public void Real_download_layout_with_tokenizer_json_loads_and_encodes_the_same()
    {
        using var clip = new TempFolder().With(ClipG, "vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json")
            .WithText("tokenizer.json", FastTokenizerJson);
        using var t5 = new TempFolder().With(T5, "spiece.model", "special_tokens_map.json", "tokenizer_config.json")
            .WithText("tokenizer.json", FastTokenizerJson);

        Assert.Equal(ClipTokenizer.Load(ClipG).Encode(Prompt).Ids, ClipTokenizer.Load(clip.Path).Encode(Prompt).Ids);
        Assert.Equal(T5Tokenizer.Load(T5).Encode(Prompt, 32).Ids, T5Tokenizer.Load(t5.Path).Encode(Prompt, 32).Ids);
        Assert.True(TokenizerFiles.IsClipFolder(clip.Path) && !TokenizerFiles.IsT5Folder(clip.Path));
        Assert.True(TokenizerFiles.IsT5Folder(t5.Path) && !TokenizerFiles.IsClipFolder(t5.Path));
    }

    [Fact]
    public void Without_config_files_the_transformers_defaults_apply()
    {
        using var clip = new TempFolder().With(ClipL, "vocab.json", "merges.txt");
        using var t5 = new TempFolder().With(T5, "spiece.model");

        var clipTokenizer = ClipTokenizer.Load(clip.Path);
        var t5Tokenizer = T5Tokenizer.Load(t5.Path);

        Assert.Equal(ClipTokenizer.Load(ClipL).Encode(Prompt).Ids, clipTokenizer.Encode(Prompt).Ids);
        Assert.Equal((812, 813, 813, 77), (clipTokenizer.BosId, clipTokenizer.EosId, clipTokenizer.PadId, clipTokenizer.ModelMaxLength));
        Assert.Equal(T5Tokenizer.Load(T5).Encode(Prompt, 24).Ids, t5Tokenizer.Encode(Prompt, 24).Ids);
        Assert.Equal(320, t5Tokenizer.VocabSize);
    }

    [Fact]
    public void Missing_folder_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), "rasnative-no-such-tokenizer");
        Assert.Contains(missing, Assert.Throws<ModelFolderException>(() => ClipTokenizer.Load(missing)).Message);
        Assert.Contains(missing, Assert.Throws<ModelFolderException>(() => T5Tokenizer.Load(missing)).Message);
    }

    [Fact]
    public void Missing_file_names_the_folder_and_the_file()
    {
        using var folder = new TempFolder().With(ClipL, "vocab.json");

        var clipError = Assert.Throws<ModelFolderException>(() => ClipTokenizer.Load(folder.Path)).Message;
        var t5Error = Assert.Throws<ModelFolderException>(() => T5Tokenizer.Load(folder.Path)).Message;

        Assert.StartsWith(folder.Path + ": merges.txt not found", clipError);
        Assert.StartsWith(folder.Path + ": spiece.model not found", t5Error);
    }

    [Fact]
    public void Tokenizer_json_alone_says_which_files_are_needed()
    {
        using var folder = new TempFolder().WithText("tokenizer.json", FastTokenizerJson);

        var clipError = Assert.Throws<ModelFolderException>(() => ClipTokenizer.Load(folder.Path)).Message;
        var t5Error = Assert.Throws<ModelFolderException>(() => T5Tokenizer.Load(folder.Path)).Message;

        Assert.Contains("tokenizer.json", clipError);
        Assert.Contains("vocab.json + merges.txt", clipError);
        Assert.Contains("tokenizer.json", t5Error);
        Assert.Contains("spiece.model", t5Error);
    }

    [Theory]
    [InlineData("vocab.json", "{\"a\": ", "invalid JSON")]
    [InlineData("vocab.json", "{\"a\": \"x\"}", "id of token 'a'")]
    [InlineData("vocab.json", "{\"a\": 0}", "byte symbol")]
    [InlineData("merges.txt", "#version: 0.2\ni n\nbroken\n", "line 3")]
    [InlineData("merges.txt", "#version: 0.2\nq z\n", "'qz' is not in the vocabulary")]
    [InlineData("tokenizer_config.json", "{\"pad_token\": \"<pad>\"}", "special token '<pad>'")]
    [InlineData("tokenizer_config.json", "{\"pad_token\": 5}", "'pad_token'")]
    [InlineData("tokenizer_config.json", "{\"model_max_length\": \"77\"}", "'model_max_length'")]
    public void Malformed_clip_files_name_the_file(string file, string content, string expected)
    {
        using var folder = new TempFolder().With(ClipL, new[] { "vocab.json", "merges.txt" }.Where(f => f != file).ToArray()).WithText(file, content);

        var message = Assert.Throws<ModelFolderException>(() => ClipTokenizer.Load(folder.Path)).Message;

        Assert.Contains(folder.File(file), message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0xFF })]
    [InlineData(new byte[] { 0x08, 0x01 })]
    [InlineData(new byte[] { 0x0A, 0x03, 0x0A, 0x01, 0x61 })]
    public void Malformed_spiece_model_names_the_file(byte[] content)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("spiece.model"), content);

        var message = Assert.Throws<ModelFolderException>(() => T5Tokenizer.Load(folder.Path)).Message;

        Assert.StartsWith(folder.File("spiece.model") + ": not a usable SentencePiece model", message);
    }

    [Fact]
    public void Truncated_spiece_model_names_the_file()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(Path.Combine(T5, "spiece.model"));
        File.WriteAllBytes(folder.File("spiece.model"), bytes[..(bytes.Length / 2)]);

        Assert.StartsWith(folder.File("spiece.model") + ":", Assert.Throws<ModelFolderException>(() => T5Tokenizer.Load(folder.Path)).Message);
    }

    [Fact]
    public void Extra_ids_disagreeing_with_the_sentinel_list_is_an_error()
    {
        using var folder = new TempFolder().With(T5, "spiece.model")
            .WithText("tokenizer_config.json", "{\"extra_ids\": 3, \"additional_special_tokens\": [\"<extra_id_0>\"]}");

        var message = Assert.Throws<ModelFolderException>(() => T5Tokenizer.Load(folder.Path)).Message;

        Assert.Contains("extra_ids is 3", message);
    }
}
