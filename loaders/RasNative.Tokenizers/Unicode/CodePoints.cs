using System.Text;

namespace RasNative.Tokenizers.Unicode;

/// <summary>
/// Walks a .NET string as the code points Python would see in the same str: a surrogate pair is one code point,
/// a lone surrogate is a code point of its own (Python strings can hold them too; category Cs).
/// </summary>
static class CodePoints
{
    /// <summary>The code point at <paramref name="index"/>; advances the index past it.</summary>
    public static int Next(string text, ref int index)
    {
        char c = text[index++];
        if (char.IsHighSurrogate(c) && index < text.Length && char.IsLowSurrogate(text[index]))
            return char.ConvertToUtf32(c, text[index++]);
        return c;
    }

    public static int[] ToArray(string text)
    {
        var result = new List<int>(text.Length);
        for (int i = 0; i < text.Length;) result.Add(Next(text, ref i));
        return [.. result];
    }

    public static void Append(StringBuilder builder, int codePoint)
    {
        if (codePoint < 0x10000) builder.Append((char)codePoint);
        else builder.Append(char.ConvertFromUtf32(codePoint));
    }

    public static bool IsSurrogate(int codePoint) => codePoint is >= 0xD800 and <= 0xDFFF;
}
