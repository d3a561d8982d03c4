using System.Globalization;
using System.Text;

namespace RasNative.Tokenizers.Unicode;

/// <summary>
/// The pieces of Python's str behaviour the slow tokenizers rely on. .NET's categories and simple lower-case
/// mappings equal Python's (checked for every code point in the tests); what differs is implemented here:
/// str.lower() maps U+0130 to "i̇" (full case mapping) and applies the final-sigma rule, and str.isspace()
/// uses its own whitespace set.
/// </summary>
static class PythonText
{
    const int CapitalSigma = 0x3A3, SmallSigma = 0x3C3, FinalSigma = 0x3C2, CapitalIWithDot = 0x130;

    public static UnicodeCategory Category(int codePoint) =>
        CodePoints.IsSurrogate(codePoint) ? UnicodeCategory.Surrogate : CharUnicodeInfo.GetUnicodeCategory(codePoint);

    /// <summary>str.isspace(): bidirectional class WS, B or S, or category Zs.</summary>
    public static bool IsSpace(int codePoint) => codePoint switch
    {
        >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20 or 0x85 or 0xA0 or 0x1680 or >= 0x2000 and <= 0x200A
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    public static bool IsLetter(int codePoint) => Category(codePoint) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
        or UnicodeCategory.OtherLetter;

    public static bool IsNumber(int codePoint) => Category(codePoint) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>str.lower().</summary>
    public static string Lower(string text)
    {
        var codePoints = CodePoints.ToArray(text);
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < codePoints.Length; i++)
        {
            int c = codePoints[i];
            if (c == CapitalIWithDot) builder.Append("i\u0307");
            else if (c == CapitalSigma) builder.Append((char)(EndsWord(codePoints, i) ? FinalSigma : SmallSigma));
            else if (CodePoints.IsSurrogate(c)) builder.Append((char)c);
            else CodePoints.Append(builder, Rune.ToLowerInvariant(new Rune(c)).Value);
        }
        return builder.ToString();
    }

    /// <summary>Python's Final_Sigma context: a cased letter before (skipping case-ignorables), none after.</summary>
    static bool EndsWord(int[] text, int sigma)
    {
        int j = sigma - 1;
        while (j >= 0 && CaseProperties.IsCaseIgnorable(text[j])) j--;
        if (j < 0 || !CaseProperties.IsCased(text[j])) return false;
        j = sigma + 1;
        while (j < text.Length && CaseProperties.IsCaseIgnorable(text[j])) j++;
        return j == text.Length || !CaseProperties.IsCased(text[j]);
    }
}
