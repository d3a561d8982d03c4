namespace RasNative.Loaders.ModelSources;

/// <summary>The components of a diffusers text-to-image pipeline, named after their pipeline subfolders.</summary>
public enum PipelineComponent
{
    Transformer,
    Vae,
    /// <summary>CLIP-L (SD3's text_encoder).</summary>
    TextEncoder,
    /// <summary>CLIP-G (SD3's text_encoder_2).</summary>
    TextEncoder2,
    /// <summary>T5-XXL (SD3's text_encoder_3).</summary>
    TextEncoder3,
    Tokenizer,
    Tokenizer2,
    Tokenizer3,
    Scheduler,
}

public static class PipelineComponents
{
    /// <summary>The subfolder of a diffusers pipeline folder, e.g. "text_encoder_2".</summary>
    public static string SubfolderName(this PipelineComponent component) => component switch
    {
        PipelineComponent.Transformer => "transformer",
        PipelineComponent.Vae => "vae",
        PipelineComponent.TextEncoder => "text_encoder",
        PipelineComponent.TextEncoder2 => "text_encoder_2",
        PipelineComponent.TextEncoder3 => "text_encoder_3",
        PipelineComponent.Tokenizer => "tokenizer",
        PipelineComponent.Tokenizer2 => "tokenizer_2",
        PipelineComponent.Tokenizer3 => "tokenizer_3",
        PipelineComponent.Scheduler => "scheduler",
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    /// <summary>Whether the component is a model with weights (tokenizers and the scheduler are files only).</summary>
    public static bool HasWeights(this PipelineComponent component) =>
        component is PipelineComponent.Transformer or PipelineComponent.Vae or PipelineComponent.TextEncoder
            or PipelineComponent.TextEncoder2 or PipelineComponent.TextEncoder3;

    public static bool IsTokenizer(this PipelineComponent component) =>
        component is PipelineComponent.Tokenizer or PipelineComponent.Tokenizer2 or PipelineComponent.Tokenizer3;

    /// <summary>Tokenizers and text encoders: what --text-encoders DIR supplies.</summary>
    public static bool IsTextSide(this PipelineComponent component) =>
        component.IsTokenizer() || component is PipelineComponent.TextEncoder or PipelineComponent.TextEncoder2 or PipelineComponent.TextEncoder3;

    /// <summary>The JSON file a component folder describes itself with.</summary>
    public static string ConfigFileName(this PipelineComponent component) => component switch
    {
        PipelineComponent.Scheduler => "scheduler_config.json",
        PipelineComponent.Tokenizer or PipelineComponent.Tokenizer2 or PipelineComponent.Tokenizer3 => "tokenizer_config.json",
        _ => "config.json",
    };
}
