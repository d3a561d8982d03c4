using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>A diffusers transformer folder (config.json + weights), given directly or as a pipeline folder
/// (model_index.json + transformer/ [+ scheduler/scheduler_config.json]).</summary>
public sealed class ModelFolder
{
    const string ConfigFileName = "config.json";
    const string PipelineIndexFileName = "model_index.json";

    ModelFolder(string root, string transformerDirectory, string? schedulerConfigPath)
    {
        Root = root;
        TransformerDirectory = transformerDirectory;
        ConfigPath = Path.Combine(transformerDirectory, ConfigFileName);
        SchedulerConfigPath = schedulerConfigPath;
        if (!File.Exists(ConfigPath)) throw new ModelFolderException($"{ConfigPath}: config file not found");
        ConfigJson = JsonFile.ReadObject(ConfigPath, message => new ModelFolderException(message));
        ClassName = ConfigJson.TryGetProperty("_class_name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : throw new ModelFolderException($"{ConfigPath}: key '_class_name' must be a string naming the model class");
    }

    public static ModelFolder Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new ModelFolderException($"{path}: model folder not found");
        if (File.Exists(Path.Combine(path, PipelineIndexFileName))) return ResolvePipeline(path);
        if (File.Exists(Path.Combine(path, ConfigFileName))) return new ModelFolder(path, path, null);
        throw new ModelFolderException($"{path}: not a model folder (neither {ConfigFileName} nor {PipelineIndexFileName} found)");
    }

    /// <summary>The folder given to <see cref="Resolve"/>.</summary>
    public string Root { get; }

    /// <summary>Folder holding config.json and the weights (Root itself, or Root/transformer for a pipeline).</summary>
    public string TransformerDirectory { get; }

    public string ConfigPath { get; }

    /// <summary>scheduler/scheduler_config.json of a pipeline folder when present, else null.</summary>
    public string? SchedulerConfigPath { get; }

    /// <summary>config.json's "_class_name", e.g. "SD3Transformer2DModel" or "LuminaNextDiT2DModel".</summary>
    public string ClassName { get; }

    /// <summary>The parsed config.json root object (independent of any open document).</summary>
    public JsonElement ConfigJson { get; }

    /// <summary>Opens the transformer weights (single file or sharded); the caller disposes the result.</summary>
    public ITensorSource OpenWeights() => CheckpointOpener.Open(TransformerDirectory);

    static ModelFolder ResolvePipeline(string path)
    {
        var indexPath = Path.Combine(path, PipelineIndexFileName);
        var index = JsonFile.ReadObject(indexPath, message => new ModelFolderException(message));
        if (!index.TryGetProperty("transformer", out _))
            throw new ModelFolderException($"{indexPath}: pipeline has no 'transformer' component");
        var transformer = Path.Combine(path, "transformer");
        if (!Directory.Exists(transformer))
            throw new ModelFolderException($"{transformer}: transformer folder not found (named in {indexPath})");
        var scheduler = Path.Combine(path, "scheduler", "scheduler_config.json");
        return new ModelFolder(path, transformer, File.Exists(scheduler) ? scheduler : null);
    }
}
