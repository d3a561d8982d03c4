using System.Text.Json;

namespace RasNative.Loaders.ModelSources;

/// <summary>
/// One pipeline component as a model sees it, whatever the dialect it was stored in: its config in diffusers /
/// transformers config.json form and its tensors under their diffusers / transformers names.
/// </summary>
public sealed class ModelComponent
{
    readonly Func<ITensorSource>? openWeights;

    internal ModelComponent(PipelineComponent kind, string location, string? folder, JsonElement config, string configSource,
        Func<ITensorSource>? openWeights, string naming, bool textProjectionIsIdentity = false, IReadOnlyList<string>? notes = null)
    {
        Kind = kind;
        Location = location;
        Folder = folder;
        Config = config;
        ConfigSource = configSource;
        this.openWeights = openWeights;
        Naming = naming;
        TextProjectionIsIdentity = textProjectionIsIdentity;
        Notes = notes ?? [];
    }

    public PipelineComponent Kind { get; }

    /// <summary>Where it was found, for messages: a folder, or "FILE [prefix*]".</summary>
    public string Location { get; }

    /// <summary>The component's folder (tokenizer files are read from it); null for a section of a single file.</summary>
    public string? Folder { get; }

    /// <summary>
    /// config.json (scheduler_config.json, tokenizer_config.json) as diffusers / transformers write it. For a
    /// single file: the config given for it (checked against the file's shapes), else the one inferred from the
    /// shapes plus the released models' values for what shapes cannot tell (docs/checkpoints.md). A tokenizer
    /// folder without tokenizer_config.json gives an empty object.
    /// </summary>
    public JsonElement Config { get; }

    /// <summary>The config's path, or how it was inferred; names the config in messages.</summary>
    public string ConfigSource { get; }

    /// <summary>diffusers' "_class_name", else transformers' "architectures"[0], else its "model_type", else null.</summary>
    public string? ClassName => ComponentFolder.Identify(Config);

    public bool HasWeights => openWeights != null;

    /// <summary>How the stored names relate to the names the model binds, e.g. "SAI MMDiT names, mapped to diffusers names".</summary>
    public string Naming { get; }

    /// <summary>
    /// CLIP text encoders: the single file stores no text_projection.weight, so the projection is the identity
    /// (Stability's SD3 encoding; the config's projection_dim then equals hidden_size). False whenever the
    /// weights hold the matrix, which must then be used.
    /// </summary>
    public bool TextProjectionIsIdentity { get; }

    /// <summary>What the mapping left out on purpose (tied copies, buffers), for inspect.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The tensors under the names the model binds; the caller disposes the result.</summary>
    public ITensorSource OpenWeights() =>
        openWeights?.Invoke() ?? throw new InvalidOperationException($"{Location}: the {Kind.SubfolderName()} component has no weights");
}
