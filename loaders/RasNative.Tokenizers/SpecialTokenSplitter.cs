using RasNative.Tokenizers.Unicode;

namespace RasNative.Tokenizers;

/// <summary>
/// The slow tokenizers' first step (PreTrainedTokenizer.tokenize in transformers 4.32): split the raw text at every
/// special token (leftmost match first, the longest one where several start at the same place, case-sensitive),
/// strip whitespace beside them as their flags say, and drop text pieces left empty.
/// </summary>
sealed class SpecialTokenSplitter
{
    readonly Dictionary<char, SpecialToken[]> byFirstChar;

    public SpecialTokenSplitter(IEnumerable<SpecialToken> tokens)
    {
        byFirstChar = tokens.Where(t => t.Content.Length > 0)
            .DistinctBy(t => t.Content)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>A piece of the split text: either a special token or a run of ordinary text.</summary>
    public readonly record struct Piece(string Text, SpecialToken? Special);

    public List<Piece> Split(string text)
    {
        var pieces = new List<(string Text, SpecialToken? Special)>();
        int textStart = 0;
        for (int i = 0; i < text.Length;)
        {
            var match = MatchAt(text, i);
            if (match == null)
            {
                i++;
                continue;
            }
            if (i > textStart) pieces.Add((text[textStart..i], null));
            pieces.Add((match.Content, match));
            i += match.Content.Length;
            textStart = i;
        }
        if (textStart < text.Length) pieces.Add((text[textStart..], null));
        StripAroundSpecialTokens(pieces);
        return pieces.Where(p => p.Special != null || p.Text.Length > 0).Select(p => new Piece(p.Text, p.Special)).ToList();
    }

    SpecialToken? MatchAt(string text, int index)
    {
        if (!byFirstChar.TryGetValue(text[index], out var candidates)) return null;
        foreach (var token in candidates)
            if (index + token.Content.Length <= text.Length && string.CompareOrdinal(text, index, token.Content, 0, token.Content.Length) == 0)
                return token;
        return null;
    }

    /// <summary>In order, as transformers does: a piece stripped by one token is seen stripped by the next.</summary>
    static void StripAroundSpecialTokens(List<(string Text, SpecialToken? Special)> pieces)
    {
        for (int i = 0; i < pieces.Count; i++)
        {
            var special = pieces[i].Special;
            if (special == null) continue;
            if (special.StripsRight && i + 1 < pieces.Count && pieces[i + 1].Special == null)
                pieces[i + 1] = (TrimStart(pieces[i + 1].Text), null);
            if (special.StripsLeft && i > 0 && pieces[i - 1].Special == null)
                pieces[i - 1] = (TrimEnd(pieces[i - 1].Text), null);
        }
    }

    static string TrimStart(string text)
    {
        int start = 0;
        while (start < text.Length && PythonText.IsSpace(text[start])) start++;
        return text[start..];
    }

    static string TrimEnd(string text)
    {
        int end = text.Length;
        while (end > 0 && PythonText.IsSpace(text[end - 1])) end--;
        return text[..end];
    }
}
