using RasNative.Tokenizers.Unicode;

namespace RasNative.Tokenizers.Clip;

/// <summary>
/// re.findall of CLIP's pattern over cleaned text, written out by hand because .NET's Regex classifies UTF-16 code
/// units, not code points (a letter or digit outside the BMP would fall into the punctuation class):
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
/// with IGNORECASE. Alternatives are tried in that order at each position, as a backtracking regex engine does.
/// </summary>
static class ClipPreTokenizer
{
    static readonly string[] Literals = ["<|startoftext|>", "<|endoftext|>", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    public static List<string> Split(string text)
    {
        var pieces = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            int start = i, next = i;
            int c = CodePoints.Next(text, ref next);
            int end = MatchLiteral(text, start);
            if (end < 0)
            {
                if (PythonText.IsLetter(c)) end = RunEnd(text, start, PythonText.IsLetter);
                else if (PythonText.IsNumber(c)) end = next;
                else if (!IsRegexSpace(c)) end = RunEnd(text, start, IsOther);
            }
            if (end < 0)
            {
                i = next;
                continue;
            }
            pieces.Add(text[start..end]);
            i = end;
        }
        return pieces;
    }

    static bool IsOther(int c) => !IsRegexSpace(c) && !PythonText.IsLetter(c) && !PythonText.IsNumber(c);

    /// <summary>\s of the regex module: White_Space code points. After cleaning only U+0020 can occur.</summary>
    static bool IsRegexSpace(int c) => c is >= 0x09 and <= 0x0D or 0x20 or 0x85 or 0xA0 or 0x1680 or >= 0x2000 and <= 0x200A
        or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    static int RunEnd(string text, int start, Func<int, bool> inClass)
    {
        int i = start;
        while (i < text.Length)
        {
            int next = i;
            if (!inClass(CodePoints.Next(text, ref next))) break;
            i = next;
        }
        return i;
    }

    /// <summary>End of the first literal alternative matching at <paramref name="start"/>, or -1.</summary>
    static int MatchLiteral(string text, int start)
    {
        foreach (var literal in Literals)
        {
            int i = start, k = 0;
            while (k < literal.Length && i < text.Length && SameIgnoringCase(text[i], literal[k]))
            {
                i++;
                k++;
            }
            if (k == literal.Length) return i;
        }
        return -1;
    }

    /// <summary>Case-insensitive match against an ASCII literal character. The text is already lower-cased; what
    /// simple case folding still equates is U+017F LATIN SMALL LETTER LONG S with 's'.</summary>
    static bool SameIgnoringCase(char textChar, char literalChar) =>
        textChar == literalChar || (literalChar == 's' && textChar == '\u017F');
}
