using System.Text.Json;

namespace RasNative.Loaders.ModelSources;

/// <summary>Reads one component's folder: its config file and, for models, the weights beside it (single file or sharded).</summary>
internal static class ComponentFolder
{
    public static ModelComponent Load(PipelineComponent kind, string folder)
    {
        string configPath = Path.Combine(folder, kind.ConfigFileName());
        bool tokenizer = kind.IsTokenizer();
        if (tokenizer && !File.Exists(configPath))
            return new ModelComponent(kind, folder, folder, EmptyObject(), $"{folder} (no {kind.ConfigFileName()})", null, "tokenizer files");
        if (!File.Exists(configPath)) throw new ModelFolderException($"{configPath}: config file not found");
        var config = JsonFile.ReadObject(configPath, message => new ModelFolderException(message));
        if (!kind.HasWeights()) return new ModelComponent(kind, folder, folder, config, configPath, null, tokenizer ? "tokenizer files" : "scheduler config");
        RequireClassName(config, configPath);
        return new ModelComponent(kind, folder, folder, config, configPath, () => CheckpointOpener.Open(folder),
            config.TryGetProperty("_class_name", out _) ? "diffusers names" : "transformers names");
    }

    /// <summary>
    /// What the config says the model is: diffusers' "_class_name", else transformers' "architectures"[0], else its
    /// "model_type" (transformers configs written without architectures); null when it says nothing.
    /// </summary>
    public static string? Identify(JsonElement config) =>
        config.TryGetProperty("_class_name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()
        : config.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
          && list[0].ValueKind == JsonValueKind.String ? list[0].GetString()
        : config.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()
        : null;

    public static string RequireClassName(JsonElement config, string configPath) =>
        Identify(config) ?? throw new ModelFolderException($"{configPath}: key '_class_name' must be a string naming the model class (or 'architectures' / 'model_type' name it)");

    static JsonElement EmptyObject() => JsonDocument.Parse("{}").RootElement.Clone();
}
