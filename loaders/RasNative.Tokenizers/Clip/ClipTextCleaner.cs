using System.Globalization;
using System.Text;
using RasNative.Tokenizers.Unicode;

namespace RasNative.Tokenizers.Clip;

/// <summary>
/// What transformers' slow CLIPTokenizer does to text when the ftfy package is absent: its BasicTokenizer
/// (do_lower_case, strip_accents=False, no punctuation split). Drops U+0000, U+FFFD and every other category C*
/// character except \t \n \r; maps \t \n \r and category Zs to a space; puts spaces around CJK ideographs; NFC;
/// splits on whitespace; lower-cases each word (str.lower()); joins the words with one space.
/// </summary>
static class ClipTextCleaner
{
    public static string Clean(string text)
    {
        var spaced = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length;)
        {
            int c = CodePoints.Next(text, ref i);
            if (c == 0 || c == 0xFFFD || IsControl(c)) continue;
            if (IsWhitespace(c)) spaced.Append(' ');
            else if (IsCjkIdeograph(c)) spaced.Append(' ').Append(char.ConvertFromUtf32(c)).Append(' ');
            else CodePoints.Append(spaced, c);
        }
        var words = SplitOnWhitespace(Nfc.Normalize(spaced.ToString()));
        return string.Join(' ', words.Select(PythonText.Lower));
    }

    static bool IsControl(int c) =>
        c is not ('\t' or '\n' or '\r') && PythonText.Category(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    static bool IsWhitespace(int c) => c is ' ' or '\t' or '\n' or '\r' || PythonText.Category(c) == UnicodeCategory.SpaceSeparator;

    /// <summary>BasicTokenizer._is_chinese_char: the CJK Unified Ideographs blocks and their extensions.</summary>
    static bool IsCjkIdeograph(int c) => c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF
        or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F
        or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    /// <summary>str.split() with no arguments.</summary>
    static List<string> SplitOnWhitespace(string text)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool space = i == text.Length || PythonText.IsSpace(text[i]);
            if (space && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
            else if (!space && start < 0) start = i;
        }
        return words;
    }
}
