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

    /// <summary>diffusers configs name their class in "_class_name", transformers configs in "architectures".</summary>
    public static void RequireClassName(JsonElement config, string configPath)
    {
        bool diffusers = config.TryGetProperty("_class_name", out var name) && name.ValueKind == JsonValueKind.String;
        bool transformers = config.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
            && list.GetArrayLength() > 0 && list[0].ValueKind == JsonValueKind.String;
        if (!diffusers && !transformers)
            throw new ModelFolderException($"{configPath}: key '_class_name' must be a string naming the model class (or 'architectures' a list naming it)");
    }

    static JsonElement EmptyObject() => JsonDocument.Parse("{}").RootElement.Clone();
}
