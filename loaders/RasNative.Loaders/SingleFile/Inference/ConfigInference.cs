using System.Text.Json;
using System.Text.Json.Nodes;

namespace RasNative.Loaders.SingleFile.Inference;

/// <summary>
/// One component's config from a single file's shapes: what the shapes measure, the whole config when none is
/// given (measured values plus the released models' values for the rest), and the check of a given config
/// against the measurements (a disagreement is one error naming the field).
/// </summary>
internal abstract class ConfigInference(ShapeView view)
{
    protected ShapeView View { get; } = view;

    public abstract IReadOnlyList<Measured> Measured { get; }

    /// <summary>The config when none is given; throws, naming <paramref name="hint"/>, where the shapes cannot tell.</summary>
    public abstract JsonObject Infer(string hint);

    /// <summary>The config class's value for a key the given config leaves out (its constructor default).</summary>
    protected abstract JsonNode? DefaultOf(string key, JsonElement given);

    public virtual void Check(JsonElement given, string source)
    {
        foreach (var measured in Measured)
        {
            bool stated = given.TryGetProperty(measured.Key, out var element) && element.ValueKind != JsonValueKind.Null;
            var value = stated ? JsonNode.Parse(element.GetRawText()) : DefaultOf(measured.Key, given);
            bool agrees = measured.Agrees?.Invoke(value) ?? Text(value) == Text(measured.Value);
            if (!agrees)
                throw new ModelFolderException($"{source}: '{measured.Key}' is {Text(value)}{(stated ? "" : " (the default)")}, " +
                    $"but the checkpoint's shapes give {Text(measured.Value)} ({measured.Evidence})");
        }
    }

    /// <summary>A given config as the component's config: as given, unless the file settles something it leaves out.</summary>
    public virtual JsonElement Complete(JsonElement given) => given;

    /// <summary>The assumed values overridden by the measured ones, keys ordered as diffusers writes them ("_" keys first, then sorted).</summary>
    protected JsonObject Compose(IEnumerable<KeyValuePair<string, JsonNode?>> assumed)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in assumed) values[key] = value;
        foreach (var measured in Measured) values[measured.Key] = measured.Value;
        var config = new JsonObject();
        foreach (var key in values.Keys.OrderBy(k => k.StartsWith('_') ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal))
            config[key] = values[key]?.DeepClone();
        return config;
    }

    protected static string Text(JsonNode? value) => value?.ToJsonString() ?? "null";

    protected static JsonArray IntArray(IEnumerable<int> values) => [.. values.Select(v => (JsonNode?)v)];
}
