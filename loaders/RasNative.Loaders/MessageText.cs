using System.Text;

namespace RasNative.Loaders;

/// <summary>Keeps error messages on one line even when names or inner messages come from untrusted files.</summary>
internal static class MessageText
{
    /// <summary>'name' with control characters escaped.</summary>
    public static string Quote(string name) => "'" + OneLine(name) + "'";

    /// <summary>A one-line excerpt of a (possibly huge) JSON value for "got ..." messages.</summary>
    public static string Excerpt(string text, int maxLength = 80) =>
        OneLine(text.Length <= maxLength ? text : text[..maxLength] + "...");

    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsControl(c)) builder.Append($"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
