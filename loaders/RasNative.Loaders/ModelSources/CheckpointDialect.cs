namespace RasNative.Loaders.ModelSources;

/// <summary>How a model source stores its components (docs/checkpoints.md).</summary>
public enum CheckpointDialect
{
    /// <summary>One component's folder: config.json + weights, diffusers or transformers names.</summary>
    DiffusersComponentFolder,
    /// <summary>A diffusers pipeline folder: component subfolders, model_index.json optional.</summary>
    DiffusersPipeline,
    /// <summary>A Stability / ComfyUI single file: model.diffusion_model.* (SAI MMDiT names) and/or first_stage_model.* (LDM VAE names).</summary>
    SaiSingleFile,
    /// <summary>An SAI single file that also holds the text encoders (text_encoders.{clip_l,clip_g,t5xxl}.transformer.*).</summary>
    AllInOneSingleFile,
    /// <summary>A single .safetensors file of one component under its diffusers names, without a config.</summary>
    DiffusersSingleFile,
}

public static class CheckpointDialects
{
    public static bool IsSingleFile(this CheckpointDialect dialect) =>
        dialect is CheckpointDialect.SaiSingleFile or CheckpointDialect.AllInOneSingleFile or CheckpointDialect.DiffusersSingleFile;

    public static string Describe(this CheckpointDialect dialect) => dialect switch
    {
        CheckpointDialect.DiffusersComponentFolder => "diffusers folder (one component)",
        CheckpointDialect.DiffusersPipeline => "diffusers pipeline",
        CheckpointDialect.SaiSingleFile => "SAI single file (Stability / ComfyUI layout)",
        CheckpointDialect.AllInOneSingleFile => "all-in-one single file (Stability / ComfyUI layout with text encoders)",
        CheckpointDialect.DiffusersSingleFile => "single file in diffusers names",
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, null),
    };
}
