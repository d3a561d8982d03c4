using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Models.Sd3;

namespace RasNative.Cli.Infrastructure;

/// <summary>Resolves --model (transformer or pipeline folder) and builds the model its config's _class_name names.</summary>
public static class ModelLoader
{
    public const string Sd3ClassName = "SD3Transformer2DModel";
    public const string LuminaClassName = "LuminaNextDiT2DModel";

    public static bool IsSd3(ModelFolder folder) => folder.ClassName == Sd3ClassName;

    public static bool IsLumina(ModelFolder folder) => folder.ClassName == LuminaClassName;

    public static ModelFolder Resolve(string path)
    {
        var folder = ModelFolder.Resolve(path);
        if (!IsSd3(folder) && !IsLumina(folder))
            throw new UsageException($"{folder.ConfigPath}: unsupported model class '{folder.ClassName}' (supported: {Sd3ClassName}, {LuminaClassName})");
        return folder;
    }

    public static Sd3TransformerConfig Sd3Config(ModelFolder folder) => IsSd3(folder)
        ? Sd3TransformerConfig.FromJson(folder.ConfigJson, folder.ConfigPath)
        : throw new UsageException($"{folder.ConfigPath}: unsupported model class '{folder.ClassName}' here (supported: {Sd3ClassName})");

    public static Sd3Transformer LoadSd3(ModelFolder folder, Sd3TransformerConfig config, IBackend backend)
    {
        using var weights = folder.OpenWeights();
        return Sd3Transformer.Load(weights, config, backend);
    }

    public static LuminaNextConfig LuminaConfig(ModelFolder folder) => LuminaNextConfig.FromJson(folder.ConfigJson, folder.ConfigPath);

    public static LuminaNextTransformer LoadLumina(ModelFolder folder, LuminaNextConfig config, IBackend backend)
    {
        using var weights = folder.OpenWeights();
        return LuminaNextTransformer.Load(weights, config, backend);
    }

    /// <summary>The scheduler shift: the pipeline folder's scheduler config, else the model family's default.</summary>
    public static double SchedulerShift(ModelFolder folder, double modelDefault) =>
        folder.SchedulerConfigPath != null ? FlowMatchSchedulerConfig.Load(folder.SchedulerConfigPath).Shift : modelDefault;
}
