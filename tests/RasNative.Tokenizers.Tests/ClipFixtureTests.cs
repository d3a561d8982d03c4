using RasNative.Tokenizers.Clip;
using Xunit;

namespace RasNative.Tokenizers.Tests;

/// <summary>All 21 prompts through CLIP-L (tokenizer/) and CLIP-G (tokenizer_2/), from both fixture folders
/// (the pipeline folder's configs use the AddedToken object form), id for id.</summary>
public sealed class ClipFixtureTests
{
    static readonly Dictionary<string, ClipTokenizer> Loaded = new();

    static ClipTokenizer Tokenizer(string fixture, string subfolder)
    {
        lock (Loaded)
        {
            string key = fixture + "/" + subfolder;
            if (!Loaded.TryGetValue(key, out var tokenizer)) Loaded[key] = tokenizer = ClipTokenizer.Load(TokenizerCases.Folder(fixture, subfolder));
            return tokenizer;
        }
    }

    public static TheoryData<string, string, string, int> Cases()
    {
        var data = new TheoryData<string, string, string, int>();
        foreach (var fixture in new[] { "text-encoders", "pipeline" })
            foreach (var (subfolder, name) in new[] { ("tokenizer", "clip_l"), ("tokenizer_2", "clip_g") })
                for (int i = 0; i < TokenizerCases.Count; i++) data.Add(fixture, subfolder, name, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_matches_transformers(string fixture, string subfolder, string name, int index)
    {
        var result = Tokenizer(fixture, subfolder).Encode(TokenizerCases.Prompt(index));

        Assert.Equal(TokenizerCases.Strings(index, name, "tokens"), result.Tokens);
        Assert.Equal(TokenizerCases.Ids(index, name, "input_ids_untruncated"), result.UntruncatedIds);
        Assert.Equal(TokenizerCases.Ids(index, name, "input_ids"), result.Ids);
        Assert.Equal(result.UntruncatedIds.Length > 77, result.Truncated);
    }

    [Fact]
    public void Special_ids_follow_each_folders_pad_convention()
    {
        var clipL = Tokenizer("pipeline", "tokenizer");
        var clipG = Tokenizer("pipeline", "tokenizer_2");
        Assert.Equal((812, 813, 813, 77), (clipL.BosId, clipL.EosId, clipL.PadId, clipL.ModelMaxLength));
        Assert.Equal((812, 813, 0, 77), (clipG.BosId, clipG.EosId, clipG.PadId, clipG.ModelMaxLength));
        Assert.Equal(814, clipL.VocabSize);
    }

    /// <summary>What diffusers' truncation warning shows: the text of the ids cut off (prompt 20, 283 tokens).</summary>
    [Fact]
    public void Decode_gives_the_truncated_text()
    {
        var tokenizer = Tokenizer("pipeline", "tokenizer");
        var result = tokenizer.Encode(TokenizerCases.Prompt(20));
        var removed = result.UntruncatedIds.AsSpan(76, result.UntruncatedIds.Length - 77);

        Assert.True(result.Truncated);
        Assert.Equal("a photo of a cat", tokenizer.Decode(tokenizer.Encode("A photo of a cat").UntruncatedIds.AsSpan(1..^1)));
        Assert.EndsWith("broken clock, shiny armor, soft light, the end", TokenizerCases.Prompt(20));
        Assert.EndsWith("broken clock, shiny armor, soft light, the end", tokenizer.Decode(removed));
    }
}
