using RasNative.Tokenizers.T5;
using Xunit;

namespace RasNative.Tokenizers.Tests;

/// <summary>All 21 prompts through T5 (tokenizer_3/) from both fixture folders, id for id: pieces, the raw
/// SentencePiece ids, the untruncated ids and the max_length-16 ids.</summary>
public sealed class T5FixtureTests
{
    static readonly Lazy<T5Tokenizer> FromTextEncoders = new(() => T5Tokenizer.Load(TokenizerCases.Folder("text-encoders", "tokenizer_3")));
    static readonly Lazy<T5Tokenizer> FromPipeline = new(() => T5Tokenizer.Load(TokenizerCases.Folder("pipeline", "tokenizer_3")));

    static T5Tokenizer Tokenizer(string fixture) => fixture == "pipeline" ? FromPipeline.Value : FromTextEncoders.Value;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var fixture in new[] { "text-encoders", "pipeline" })
            for (int i = 0; i < TokenizerCases.Count; i++) data.Add(fixture, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_matches_transformers(string fixture, int index)
    {
        var tokenizer = Tokenizer(fixture);
        string prompt = TokenizerCases.Prompt(index);

        var result = tokenizer.Encode(prompt, 16);

        Assert.Equal(TokenizerCases.Strings(index, "t5", "pieces"), result.Tokens);
        Assert.Equal(TokenizerCases.Ids(index, "t5", "input_ids_untruncated"), result.UntruncatedIds);
        Assert.Equal(TokenizerCases.Ids(index, "t5", "input_ids_max_length_16"), result.Ids);
        Assert.Equal(result.UntruncatedIds.Length > 16, result.Truncated);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SentencePiece_ids_match_the_library(string fixture, int index)
    {
        var ids = Tokenizer(fixture).SentencePieceIds(TokenizerCases.Prompt(index));

        Assert.Equal(TokenizerCases.Ids(index, "t5", "sentencepiece_encode"), ids);
    }

    /// <summary>Sentinel ids from the README (319 − k), &lt;/s&gt; = 1; transformers 4.32 strips the whitespace beside
    /// plain-string special tokens and appends no second &lt;/s&gt; (T5Tokenizer._add_eos_if_not_present).</summary>
    [Fact]
    public void Special_ids_follow_the_config()
    {
        var tokenizer = FromPipeline.Value;
        Assert.Equal((1, 0, 2, 320), (tokenizer.EosId, tokenizer.PadId, tokenizer.UnknownId, tokenizer.VocabSize));
        var sentinels = tokenizer.Encode("<extra_id_0> a <extra_id_99></s>", 8);
        Assert.Equal([319, 4, 220, 1, 0, 0, 0, 0], sentinels.Ids);
    }

    [Fact]
    public void Decode_gives_the_text_of_the_pieces()
    {
        var tokenizer = FromPipeline.Value;
        var result = tokenizer.Encode(TokenizerCases.Prompt(2), 16);

        Assert.True(result.Truncated);
        Assert.Equal("an astronaut riding a horse on mars, highly detailed, 4k", tokenizer.Decode(result.UntruncatedIds.AsSpan(0, 30)));
    }
}
