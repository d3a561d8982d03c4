using System.Text;

namespace RasNative.Tokenizers.SentencePiece;

/// <summary>
/// SentencePiece's Normalizer::Normalize (0.1.97): rewrites the UTF-8 input prefix by prefix with the longest
/// user-defined symbol (kept as is) or precompiled rule (replaced), else one character; drops leading, trailing and
/// repeated spaces (remove_extra_whitespaces), prepends one space (add_dummy_prefix) and writes spaces as "▁"
/// (escape_whitespaces). Invalid UTF-8 (from lone surrogates in .NET strings) becomes U+FFFD.
/// </summary>
sealed class SentencePieceNormalizer(SentencePieceModel model, PrecompiledCharsMap? charsMap, ByteTrie? userDefined)
{
    static readonly byte[] Space = [(byte)' '];
    static readonly byte[] SpaceSymbol = Encoding.UTF8.GetBytes("\u2581");
    static readonly byte[] ReplacementCharacter = Encoding.UTF8.GetBytes("\uFFFD");

    /// <summary>The normalised text as UTF-8 bytes; empty when the text holds nothing but whitespace.</summary>
    public byte[] Normalize(string text)
    {
        ReadOnlySpan<byte> input = Encoding.UTF8.GetBytes(text);
        var output = new List<byte>(input.Length + 8);
        if (model.RemoveExtraWhitespaces)
        {
            while (!input.IsEmpty)
            {
                int consumed = NormalizePrefix(input, out var replacement);
                if (!replacement.SequenceEqual(Space)) break;
                input = input[consumed..];
            }
        }
        if (input.IsEmpty) return [];
        var whitespace = model.EscapeWhitespaces ? SpaceSymbol : Space;
        if (model.AddDummyPrefix) output.AddRange(whitespace);
        bool previousWasSpace = model.RemoveExtraWhitespaces;
        while (!input.IsEmpty)
        {
            int consumed = NormalizePrefix(input, out var piece);
            if (previousWasSpace)
                while (!piece.IsEmpty && piece[0] == ' ') piece = piece[1..];
            if (!piece.IsEmpty)
            {
                foreach (byte b in piece)
                {
                    if (model.EscapeWhitespaces && b == ' ') output.AddRange(SpaceSymbol);
                    else output.Add(b);
                }
                previousWasSpace = piece[^1] == ' ';
            }
            input = input[consumed..];
            if (!model.RemoveExtraWhitespaces) previousWasSpace = false;
        }
        if (model.RemoveExtraWhitespaces)
            while (EndsWith(output, whitespace)) output.RemoveRange(output.Count - whitespace.Length, whitespace.Length);
        return [.. output];
    }

    /// <summary>How many input bytes the next normalisation step consumes, and what it writes.</summary>
    int NormalizePrefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        int userLength = userDefined?.LongestPrefix(input) ?? 0;
        if (userLength > 0)
        {
            replacement = input[..userLength];
            return userLength;
        }
        if (charsMap != null)
        {
            int ruleLength = charsMap.LongestPrefix(input, out replacement);
            if (ruleLength > 0) return ruleLength;
        }
        int charLength = ValidUtf8CharLength(input);
        if (charLength == 0)
        {
            replacement = ReplacementCharacter;
            return 1;
        }
        replacement = input[..charLength];
        return charLength;
    }

    /// <summary>Length of the well-formed UTF-8 character at the start, or 0 if malformed.</summary>
    static int ValidUtf8CharLength(ReadOnlySpan<byte> input) =>
        Rune.DecodeFromUtf8(input, out _, out int length) == System.Buffers.OperationStatus.Done ? length : 0;

    static bool EndsWith(List<byte> output, byte[] suffix)
    {
        if (output.Count < suffix.Length) return false;
        for (int i = 0; i < suffix.Length; i++)
            if (output[output.Count - suffix.Length + i] != suffix[i]) return false;
        return true;
    }
}
