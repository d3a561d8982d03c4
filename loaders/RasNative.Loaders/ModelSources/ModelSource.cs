using RasNative.Loaders.SingleFile;

namespace RasNative.Loaders.ModelSources;

/// <summary>
/// The one entry point from a path to model components, for every verb: a diffusers pipeline folder
/// (model_index.json optional: the component subfolders suffice), one component's folder (config.json +
/// weights), or a single .safetensors file (Stability / ComfyUI layout, all-in-one, or one component in diffusers
/// names). Every component comes out as a <see cref="ModelComponent"/>: config in config.json form, tensors
/// under diffusers / transformers names. The dialect translation lives in the loaders, never in a model.
/// </summary>
public sealed class ModelSource
{
    readonly IComponentLayout layout;
    readonly ModelSourceOptions options;
    readonly ModelSource? textEncoders, vae;

    ModelSource(string path, IComponentLayout layout, ModelSourceOptions options)
    {
        this.layout = layout;
        this.options = options;
        textEncoders = options.TextEncoders == null ? null : Open(options.TextEncoders);
        vae = options.Vae == null ? null : Open(options.Vae);
        if (options.TransformerConfig != null && layout is not SingleFileLayout)
            throw new ModelFolderException($"{options.TransformerConfig}: a config is given for single files only; {path} has its own config.json");
    }

    /// <summary>Reads only what identifies the source (model_index.json, config.json, a file's header); components load on <see cref="Get"/>.</summary>
    public static ModelSource Open(string path, ModelSourceOptions? options = null)
    {
        options ??= new ModelSourceOptions();
        if (File.Exists(path)) return new ModelSource(path, SingleFileLayout.Open(path), options);
        if (!Directory.Exists(path)) throw new ModelFolderException($"{path}: model file or folder not found");
        if (File.Exists(Path.Combine(path, PipelineFolderLayout.IndexFileName))) return new ModelSource(path, new PipelineFolderLayout(path), options);
        if (ComponentFolderLayout.Recognise(path)) return new ModelSource(path, new ComponentFolderLayout(path), options);
        if (PipelineFolderLayout.Recognise(path)) return new ModelSource(path, new PipelineFolderLayout(path), options);
        throw new ModelFolderException($"{path}: not a model folder (neither config.json nor {PipelineFolderLayout.IndexFileName} found, " +
            $"nor any of the subfolders {string.Join(", ", Enum.GetValues<PipelineComponent>().Select(c => c.SubfolderName() + "/"))})");
    }

    public CheckpointDialect Dialect => layout.Dialect;

    /// <summary>Tensors of a single file that belong to no component (other prefixes, logit_scale), for inspect.</summary>
    public IReadOnlyList<string> IgnoredTensors => layout.Ignored;

    /// <summary>Whether the model path or its override holds the component.</summary>
    public bool Has(PipelineComponent kind) => layout.Has(kind) || (Override(kind)?.Has(kind) ?? false);

    /// <summary>
    /// The component from the model path; where that lacks it, from the override (--text-encoders for the text
    /// side, --vae for the VAE). A single file's section takes its config from the override's folder when that
    /// has the component (checked against the file's shapes), else from its shapes. Missing: one
    /// <see cref="ModelFolderException"/> naming where it looked.
    /// </summary>
    public ModelComponent Get(PipelineComponent kind)
    {
        var fallback = Override(kind);
        if (layout.Has(kind)) return layout.Get(kind, GivenConfig(kind, fallback));
        if (fallback != null && fallback.Has(kind)) return fallback.Get(kind);
        throw new ModelFolderException(layout.WhereLooked(kind) + (fallback != null ? "; and " + fallback.layout.WhereLooked(kind) : Hint(kind)));
    }

    /// <summary>The component, or null when neither the model path nor the override holds it.</summary>
    public ModelComponent? Find(PipelineComponent kind) => Has(kind) ? Get(kind) : null;

    GivenConfig? GivenConfig(PipelineComponent kind, ModelSource? fallback)
    {
        if (layout is not SingleFileLayout) return null;
        if (kind == PipelineComponent.Transformer && options.TransformerConfig is { } configPath)
            return new GivenConfig(JsonFile.ReadObject(configPath, message => new ModelFolderException(message)), configPath);
        if (!kind.HasWeights() || fallback == null || !fallback.Has(kind)) return null;
        var component = fallback.Get(kind);
        return new GivenConfig(component.Config, component.ConfigSource);
    }

    ModelSource? Override(PipelineComponent kind) =>
        kind.IsTextSide() ? textEncoders : kind == PipelineComponent.Vae ? vae : null;

    static string Hint(PipelineComponent kind) =>
        kind.IsTextSide() ? "; give --text-encoders DIR (e.g. a diffusers pipeline folder)"
        : kind == PipelineComponent.Vae ? "; give --vae DIR (e.g. a diffusers pipeline folder)"
        : "";
}
