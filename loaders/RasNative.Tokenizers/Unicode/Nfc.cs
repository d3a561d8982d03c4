using System.Text;

namespace RasNative.Tokenizers.Unicode;

/// <summary>
/// Unicode Normalization Form C as Python's unicodedata.normalize("NFC", s) (UAX #15: full canonical
/// decomposition, canonical ordering, canonical composition), from <see cref="NfcTables"/>. .NET cannot do this in
/// invariant-globalization mode, where string.Normalize leaves non-ASCII text unchanged.
/// </summary>
static class Nfc
{
    const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    const int HangulLCount = 19, HangulVCount = 21, HangulTCount = 28;
    const int HangulNCount = HangulVCount * HangulTCount, HangulSCount = HangulLCount * HangulNCount;

    /// <summary>No code point below this has a non-zero combining class or is the second half of a composition,
    /// so text made only of such code points is already NFC.</summary>
    const int FirstNonTrivial = 0x300;

    static readonly Dictionary<int, (int First, int Second)> Decompositions = BuildDecompositions();
    static readonly Dictionary<long, int> Compositions = BuildCompositions();

    public static string Normalize(string text)
    {
        if (IsTrivial(text)) return text;
        var buffer = new List<int>(text.Length + 8);
        for (int i = 0; i < text.Length;) Decompose(CodePoints.Next(text, ref i), buffer);
        ReorderCanonically(buffer);
        Compose(buffer);
        var builder = new StringBuilder(buffer.Count);
        foreach (int c in buffer) CodePoints.Append(builder, c);
        return builder.ToString();
    }

    public static int CombiningClass(int codePoint)
    {
        if (codePoint < FirstNonTrivial) return 0;
        var runs = NfcTables.CombiningClassRuns;
        int lo = 0, hi = runs.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (codePoint < runs[3 * mid]) hi = mid - 1;
            else if (codePoint > runs[3 * mid + 1]) lo = mid + 1;
            else return runs[3 * mid + 2];
        }
        return 0;
    }

    static bool IsTrivial(string text)
    {
        foreach (char c in text)
            if (c >= FirstNonTrivial) return false;
        return true;
    }

    static void Decompose(int c, List<int> output)
    {
        int s = c - HangulSBase;
        if (s is >= 0 and < HangulSCount)
        {
            output.Add(HangulLBase + s / HangulNCount);
            output.Add(HangulVBase + s % HangulNCount / HangulTCount);
            if (s % HangulTCount != 0) output.Add(HangulTBase + s % HangulTCount);
            return;
        }
        if (!Decompositions.TryGetValue(c, out var parts))
        {
            output.Add(c);
            return;
        }
        Decompose(parts.First, output);
        if (parts.Second >= 0) Decompose(parts.Second, output);
    }

    /// <summary>Stable sort of every run of non-starters by combining class (insertion sort: runs are short).</summary>
    static void ReorderCanonically(List<int> text)
    {
        for (int i = 1; i < text.Count; i++)
        {
            int c = text[i], ccc = CombiningClass(c);
            if (ccc == 0) continue;
            int j = i - 1;
            while (j >= 0 && CombiningClass(text[j]) > ccc)
            {
                text[j + 1] = text[j];
                j--;
            }
            text[j + 1] = c;
        }
    }

    /// <summary>Canonical composition in place: each character joins the last starter unless a character between
    /// them has class 0 or a class not below its own (it is "blocked").</summary>
    static void Compose(List<int> text)
    {
        int starter = -1, lastClass = 0, write = 0;
        for (int read = 0; read < text.Count; read++)
        {
            int c = text[read], ccc = CombiningClass(c);
            bool adjacent = starter == write - 1;
            if (starter >= 0 && (adjacent || (lastClass != 0 && lastClass < ccc)) && TryCompose(text[starter], c, out int composite))
            {
                text[starter] = composite;
                continue;
            }
            if (ccc == 0) starter = write;
            lastClass = ccc;
            text[write++] = c;
        }
        text.RemoveRange(write, text.Count - write);
    }

    static bool TryCompose(int first, int second, out int composite)
    {
        int l = first - HangulLBase, v = second - HangulVBase;
        if (l is >= 0 and < HangulLCount && v is >= 0 and < HangulVCount)
        {
            composite = HangulSBase + (l * HangulVCount + v) * HangulTCount;
            return true;
        }
        int s = first - HangulSBase, t = second - HangulTBase;
        if (s is >= 0 and < HangulSCount && s % HangulTCount == 0 && t is > 0 and < HangulTCount)
        {
            composite = first + t;
            return true;
        }
        return Compositions.TryGetValue(Key(first, second), out composite);
    }

    static long Key(int first, int second) => ((long)first << 21) | (uint)second;

    static Dictionary<int, (int, int)> BuildDecompositions()
    {
        var table = NfcTables.Decompositions;
        var map = new Dictionary<int, (int, int)>(table.Length / 4);
        for (int i = 0; i < table.Length; i += 4) map[table[i]] = (table[i + 1], table[i + 2]);
        return map;
    }

    static Dictionary<long, int> BuildCompositions()
    {
        var table = NfcTables.Decompositions;
        var map = new Dictionary<long, int>();
        for (int i = 0; i < table.Length; i += 4)
            if (table[i + 3] == 1) map[Key(table[i + 1], table[i + 2])] = table[i];
        return map;
    }
}
