using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;

namespace RasNative.Cli.Infrastructure;

/// <summary>Resolves --model (transformer or pipeline folder) and builds the model its config names.</summary>
public static class ModelLoader
{
    public const string Sd3ClassName = "SD3Transformer2DModel";

    public static Sd3TransformerConfig Sd3Config(ModelFolder folder) => folder.ClassName == Sd3ClassName
        ? Sd3TransformerConfig.FromJson(folder.ConfigJson, folder.ConfigPath)
        : throw new UsageException($"{folder.ConfigPath}: unsupported model class '{folder.ClassName}' (supported: {Sd3ClassName})");

    public static Sd3Transformer LoadSd3(ModelFolder folder, Sd3TransformerConfig config, IBackend backend)
    {
        using var weights = folder.OpenWeights();
        return Sd3Transformer.Load(weights, config, backend);
    }

    public static Sd3Transformer LoadSd3(string path, IBackend backend)
    {
        var folder = ModelFolder.Resolve(path);
        return LoadSd3(folder, Sd3Config(folder), backend);
    }
}
