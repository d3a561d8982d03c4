using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>JSON parsing that also rejects strings .NET cannot decode (lone surrogate escapes such as "\ud800"),
/// which JsonDocument accepts but later fails on with InvalidOperationException; serde_json rejects them too.</summary>
internal static class StrictJson
{
    /// <summary>The root element, detached from the parsed document.</summary>
    /// <exception cref="JsonException">Invalid JSON or an undecodable string.</exception>
    public static JsonElement Parse(byte[] utf8)
    {
        RejectUndecodableStrings(utf8);
        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.Clone();
    }

    static void RejectUndecodableStrings(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException e)
            {
                throw new JsonException($"{e.Message} (at byte {reader.TokenStartIndex})", e);
            }
        }
    }
}
