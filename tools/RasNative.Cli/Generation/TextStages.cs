using RasNative.Cli.Infrastructure;
using RasNative.Loaders.ModelSources;

namespace RasNative.Cli.Generation;

/// <summary>The progress stages of the text encoders, named as the display shows them.</summary>
public static class TextStages
{
    public static string Name(PipelineComponent encoder) => encoder switch
    {
        PipelineComponent.TextEncoder => "text_encoder (CLIP-L)",
        PipelineComponent.TextEncoder2 => "text_encoder_2 (CLIP-G)",
        PipelineComponent.TextEncoder3 => "text_encoder_3 (T5)",
        _ => encoder.SubfolderName(),
    };

    public static IEnumerable<PipelineProgress.Stage> For(PromptEncoding encoding) =>
        new[] { PipelineComponent.TextEncoder, PipelineComponent.TextEncoder2, PipelineComponent.TextEncoder3 }
            .Where(kind => kind != PipelineComponent.TextEncoder3 || encoding.Ids.HasT5)
            .Select(kind => new PipelineProgress.Stage(Name(kind), 1));
}
