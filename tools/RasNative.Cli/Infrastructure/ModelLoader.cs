using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;

namespace RasNative.Cli.Infrastructure;

/// <summary>Resolves --model (transformer or pipeline folder) and builds the model its config names.</summary>
public static class ModelLoader
{
    public const string Sd3ClassName = "SD3Transformer2DModel";

    public static (ModelFolder Folder, Sd3Transformer Model) LoadSd3(string path, IBackend backend)
    {
        var folder = ModelFolder.Resolve(path);
        if (folder.ClassName != Sd3ClassName)
            throw new UsageException($"{folder.ConfigPath}: unsupported model class '{folder.ClassName}' (supported: {Sd3ClassName})");
        var config = Sd3TransformerConfig.FromJson(folder.ConfigJson, folder.ConfigPath);
        using var weights = folder.OpenWeights();
        return (folder, Sd3Transformer.Load(weights, config, backend));
    }
}
