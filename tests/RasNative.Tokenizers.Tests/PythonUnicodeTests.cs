using System.Globalization;
using System.Text.Json;
using RasNative.Tokenizers.Unicode;
using Xunit;

namespace RasNative.Tokenizers.Tests;

/// <summary>
/// The Python text behaviour CLIP's clean-up depends on, against vectors written by
/// tools/unicode/generate_tokenizer_unicode.py from Python's unicodedata / str (Data/python-unicode.json).
/// </summary>
public sealed class PythonUnicodeTests
{
    static readonly Lazy<JsonElement> Vectors = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "python-unicode.json")));
        return document.RootElement.Clone();
    });

    static IEnumerable<(string Input, string Expected)> Pairs(string name) =>
        Vectors.Value.GetProperty(name).EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetString()!));

    [Fact]
    public void Nfc_equals_unicodedata_normalize()
    {
        var failures = Pairs("nfc").Where(p => Nfc.Normalize(p.Input) != p.Expected).Select(p => Escape(p.Input)).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} NFC mismatches, e.g. {string.Join(", ", failures.Take(5))}");
        Assert.True(Pairs("nfc").Count() > 2000);
    }

    [Fact]
    public void Lower_equals_str_lower_including_final_sigma()
    {
        var failures = Pairs("lower").Where(p => PythonText.Lower(p.Input) != p.Expected).Select(p => Escape(p.Input)).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} lower() mismatches, e.g. {string.Join(", ", failures.Take(5))}");
    }

    /// <summary>Every code point Python's database assigns: same lower-case and (but one, see below) same category.</summary>
    [Fact]
    public void Single_code_points_lower_and_classify_as_in_python()
    {
        var lower = Vectors.Value.GetProperty("lower_table").EnumerateArray().ToDictionary(e => e[0].GetInt32(), e => e[1].GetString()!);
        var runs = Vectors.Value.GetProperty("category_runs").EnumerateArray().Select(e => (Start: e[0].GetInt32(), Category: e[1].GetString()!)).ToArray();
        var mismatches = new List<string>();
        for (int r = 0; r < runs.Length; r++)
        {
            int end = r + 1 < runs.Length ? runs[r + 1].Start : 0x110000;
            if (runs[r].Category is "Cn" or "Cs") continue;
            for (int cp = runs[r].Start; cp < end; cp++)
            {
                string text = char.ConvertFromUtf32(cp);
                string expectedLower = lower.TryGetValue(cp, out var l) ? l : text;
                if (PythonText.Lower(text) != expectedLower) mismatches.Add($"lower U+{cp:X4}");
                // U+1171E AHOM CONSONANT SIGN MEDIAL RA: Mn in Unicode 14, Mc since 15; neither class matters here.
                if (Abbreviation(PythonText.Category(cp)) != runs[r].Category && cp != 0x1171E) mismatches.Add($"category U+{cp:X4}");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join(", ", mismatches.Take(20)));
    }

    static string Escape(string text) => string.Concat(text.EnumerateRunes().Select(r => $"\\u{r.Value:X4}"));

    static string Abbreviation(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => "Lu", UnicodeCategory.LowercaseLetter => "Ll", UnicodeCategory.TitlecaseLetter => "Lt",
        UnicodeCategory.ModifierLetter => "Lm", UnicodeCategory.OtherLetter => "Lo", UnicodeCategory.NonSpacingMark => "Mn",
        UnicodeCategory.SpacingCombiningMark => "Mc", UnicodeCategory.EnclosingMark => "Me", UnicodeCategory.DecimalDigitNumber => "Nd",
        UnicodeCategory.LetterNumber => "Nl", UnicodeCategory.OtherNumber => "No", UnicodeCategory.SpaceSeparator => "Zs",
        UnicodeCategory.LineSeparator => "Zl", UnicodeCategory.ParagraphSeparator => "Zp", UnicodeCategory.Control => "Cc",
        UnicodeCategory.Format => "Cf", UnicodeCategory.Surrogate => "Cs", UnicodeCategory.PrivateUse => "Co",
        UnicodeCategory.ConnectorPunctuation => "Pc", UnicodeCategory.DashPunctuation => "Pd", UnicodeCategory.OpenPunctuation => "Ps",
        UnicodeCategory.ClosePunctuation => "Pe", UnicodeCategory.InitialQuotePunctuation => "Pi", UnicodeCategory.FinalQuotePunctuation => "Pf",
        UnicodeCategory.OtherPunctuation => "Po", UnicodeCategory.MathSymbol => "Sm", UnicodeCategory.CurrencySymbol => "Sc",
        UnicodeCategory.ModifierSymbol => "Sk", UnicodeCategory.OtherSymbol => "So", _ => "Cn",
    };
}
