using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>Typed access to a diffusers config object: an absent or null key yields the caller's default,
/// a value of the wrong type is a one-line <see cref="ModelFolderException"/> naming the file and key.</summary>
internal sealed class ConfigReader
{
    readonly JsonElement json;
    readonly string source;

    public ConfigReader(JsonElement json, string source)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw new ModelFolderException($"{source}: config must be a JSON object, got {json.ValueKind}");
        this.json = json;
        this.source = source;
    }

    public int? NullableInt(string key) =>
        Value(key) is { } value ? (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw WrongType(key, "an integer", value)) : null;

    public int Int(string key, int fallback) => NullableInt(key) ?? fallback;

    /// <summary>An integer in [min, max]; out of range is an error naming the key (absent/null: the fallback).</summary>
    public int Int(string key, int fallback, int min, int max) => InRange(key, Int(key, fallback), min, max);

    public double Double(string key, double fallback, double min, double max) =>
        Double(key, fallback) is var value && double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw new ModelFolderException($"{source}: key '{key}' must be a finite number in [{min}, {max}], got {value}");

    int InRange(string key, int value, int min, int max) => value >= min && value <= max
        ? value
        : throw new ModelFolderException($"{source}: key '{key}' must be an integer in [{min}, {max}], got {value}");

    public double? NullableDouble(string key) =>
        Value(key) is { } value ? (value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw WrongType(key, "a number", value)) : null;

    public double Double(string key, double fallback) => NullableDouble(key) ?? fallback;

    public bool Bool(string key, bool fallback) => Value(key) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var value => throw WrongType(key, "true or false", value.Value),
    };

    public string? NullableString(string key) =>
        Value(key) is { } value ? (value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(key, "a string", value)) : null;

    public int[] IntArray(string key)
    {
        if (Value(key) is not { } value) return [];
        if (value.ValueKind != JsonValueKind.Array) throw WrongType(key, "an array of integers", value);
        return value.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var number) ? number : throw WrongType(key, "an array of integers", value))
            .ToArray();
    }

    public string[] StringArray(string key)
    {
        if (Value(key) is not { } value) return [];
        if (value.ValueKind != JsonValueKind.Array) throw WrongType(key, "an array of strings", value);
        return value.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType(key, "an array of strings", value))
            .ToArray();
    }

    JsonElement? Value(string key) =>
        json.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    ModelFolderException WrongType(string key, string expected, JsonElement value) =>
        new($"{source}: key '{key}' must be {expected}, got {MessageText.Excerpt(value.GetRawText())}");
}
