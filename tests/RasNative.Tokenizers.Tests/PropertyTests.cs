using CsCheck;
using RasNative.Tokenizers.Clip;
using RasNative.Tokenizers.T5;
using Xunit;

namespace RasNative.Tokenizers.Tests;

/// <summary>Any text, however odd, encodes without an exception into a well-formed sequence.</summary>
public sealed class PropertyTests
{
    static readonly Lazy<ClipTokenizer> ClipL = new(() => ClipTokenizer.Load(TokenizerCases.Folder("pipeline", "tokenizer")));
    static readonly Lazy<ClipTokenizer> ClipG = new(() => ClipTokenizer.Load(TokenizerCases.Folder("pipeline", "tokenizer_2")));
    static readonly Lazy<T5Tokenizer> T5 = new(() => T5Tokenizer.Load(TokenizerCases.Folder("pipeline", "tokenizer_3")));

    /// <summary>Text assembled from pieces that stress each stage: special tokens and their fragments, whitespace and
    /// control characters, combining marks, CJK, emoji (surrogate pairs), lone surrogates, any UTF-16 unit.</summary>
    static readonly Gen<string> GenText = Gen.OneOf<string>(
            Gen.OneOf<string>("<|startoftext|>", "<|endoftext|>", "<|endof", "text|>", "!", "</s>", "<pad>", "<unk>", "<extra_id_0>",
                "<extra_id_99>", "<extra_id_", "'s", "'LL", "\u017Fs", "\u03A3", "\u0130", " ", "  ", "\t", "\n", "\r\n", "\u00A0",
                "\u2028", "\u3000", "\u200B", "\uFEFF", "\0", "\uFFFD", "\u0301", "\u0323\u0302", "\uD83D\uDE00", "\uD800", "\uDFFF",
                "\u1100\u1161\u11A8", "\u65E5\u672C", "\uFB01", "\uFF21", "\u2126", "a", "cat", "Photo", "123"),
            Gen.String[0, 12],
            Gen.Char['\u0000', '\u007F'].Array[0, 12].Select(c => new string(c)))
        .Array[0, 40].Select(parts => string.Concat(parts));

    [Fact]
    public void Clip_sequences_are_well_formed()
    {
        foreach (var tokenizer in new[] { ClipL.Value, ClipG.Value })
            GenText.Sample(text => CheckClip(tokenizer, text), iter: 400);
    }

    [Fact]
    public void T5_sequences_are_well_formed()
    {
        Gen.Select(GenText, Gen.Int[1, 40]).Sample((text, maxLength) => CheckT5(T5.Value, text, maxLength), iter: 400);
    }

    [Fact]
    public void Huge_inputs_encode()
    {
        var random = new Random(7);
        string words = string.Concat(Enumerable.Range(0, 200_000).Select(_ => random.Next(8) == 0 ? " " : ((char)('a' + random.Next(26))).ToString()));
        string oneWord = new('a', 100_000);
        string noise = new(Enumerable.Range(0, 100_000).Select(_ => (char)random.Next(0x10000)).ToArray());
        foreach (var text in new[] { words, oneWord, noise })
        {
            CheckClip(ClipL.Value, text);
            CheckClip(ClipG.Value, text);
            CheckT5(T5.Value, text, 512);
        }
    }

    static void CheckClip(ClipTokenizer tokenizer, string text)
    {
        var result = tokenizer.Encode(text);
        var ids = result.Ids;
        var untruncated = result.UntruncatedIds;
        Assert.Equal(77, ids.Length);
        Assert.Equal(tokenizer.BosId, ids[0]);
        Assert.Equal(tokenizer.BosId, untruncated[0]);
        Assert.Equal(tokenizer.EosId, untruncated[^1]);
        Assert.Equal(result.Tokens.Length + 2, untruncated.Length);
        int contentEnd = Math.Min(untruncated.Length, 77) - 1;
        Assert.Equal(tokenizer.EosId, ids[contentEnd]);
        Assert.Equal(untruncated[..contentEnd], ids[..contentEnd]);
        Assert.All(ids[(contentEnd + 1)..], id => Assert.Equal(tokenizer.PadId, id));
        Assert.All(untruncated, id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
        Assert.Equal(untruncated.Length > 77, result.Truncated);
    }

    static void CheckT5(T5Tokenizer tokenizer, string text, int maxLength)
    {
        var result = tokenizer.Encode(text, maxLength);
        var ids = result.Ids;
        var untruncated = result.UntruncatedIds;
        Assert.Equal(maxLength, ids.Length);
        Assert.Equal(tokenizer.EosId, untruncated[^1]);
        Assert.InRange(untruncated.Length - result.Tokens.Length, 0, 1);
        int contentEnd = Array.LastIndexOf(ids, tokenizer.EosId, Math.Min(untruncated.Length, maxLength) - 1);
        Assert.True(contentEnd >= 0, "no </s> in the ids");
        Assert.Equal(untruncated[..contentEnd], ids[..contentEnd]);
        Assert.All(ids[(contentEnd + 1)..], id => Assert.Equal(tokenizer.PadId, id));
        Assert.All(untruncated, id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
        Assert.Equal(untruncated.Length > maxLength, result.Truncated);
    }
}
