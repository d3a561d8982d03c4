namespace RasNative.Loaders.ModelSources;

/// <summary>
/// What a verb adds to the model path: a transformer config for single files (<c>--config</c>), and sources the
/// text side or the VAE may come from (<c>--text-encoders DIR</c>, <c>--vae DIR</c>; anything
/// <see cref="ModelSource.Open"/> accepts). A component the model path holds is taken from it; the override
/// supplies what it lacks (tokenizers for every single file) and, for single files, the config the file's
/// shapes are checked against.
/// </summary>
public sealed record ModelSourceOptions
{
    /// <summary>A diffusers config.json for a single-file transformer (required when its width is not a multiple of 64).</summary>
    public string? TransformerConfig { get; init; }

    /// <summary>Where tokenizers and text encoders come from when the model path lacks them.</summary>
    public string? TextEncoders { get; init; }

    /// <summary>Where the VAE comes from when the model path lacks it.</summary>
    public string? Vae { get; init; }
}
