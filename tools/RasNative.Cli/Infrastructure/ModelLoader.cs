using RasNative.Loaders;
using RasNative.Loaders.ModelSources;

namespace RasNative.Cli.Infrastructure;

/// <summary>Takes the transformer out of a --model source; its config's _class_name tells the model family.</summary>
public static class ModelLoader
{
    public const string Sd3ClassName = Sd3TransformerConfig.ClassName;
    public const string LuminaClassName = "LuminaNextDiT2DModel";

    public static bool IsSd3(ModelComponent transformer) => transformer.ClassName == Sd3ClassName;

    public static bool IsLumina(ModelComponent transformer) => transformer.ClassName == LuminaClassName;

    /// <summary>The source's transformer, of a class RasNative runs.</summary>
    public static ModelComponent Transformer(ModelSource source)
    {
        var transformer = source.Get(PipelineComponent.Transformer);
        if (!IsSd3(transformer) && !IsLumina(transformer))
            throw new UsageException($"{transformer.ConfigSource}: unsupported model class '{transformer.ClassName}' (supported: {Sd3ClassName}, {LuminaClassName})");
        return transformer;
    }

    public static Sd3TransformerConfig Sd3Config(ModelComponent transformer) => IsSd3(transformer)
        ? Sd3TransformerConfig.FromJson(transformer.Config, transformer.ConfigSource)
        : throw new UsageException($"{transformer.ConfigSource}: unsupported model class '{transformer.ClassName}' here (supported: {Sd3ClassName})");

    public static LuminaNextConfig LuminaConfig(ModelComponent transformer) => LuminaNextConfig.FromJson(transformer.Config, transformer.ConfigSource);

    /// <summary>The scheduler shift: the pipeline's scheduler config, else the model family's default (single files carry none).</summary>
    public static double SchedulerShift(ModelSource source, double modelDefault) =>
        source.Find(PipelineComponent.Scheduler) is { } scheduler
            ? FlowMatchSchedulerConfig.FromJson(scheduler.Config, scheduler.ConfigSource).Shift
            : modelDefault;
}
