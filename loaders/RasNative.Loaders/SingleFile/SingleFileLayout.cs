using System.Text.Json;
using RasNative.Loaders.ModelSources;
using RasNative.Loaders.SingleFile.Inference;

namespace RasNative.Loaders.SingleFile;

/// <summary>
/// A single .safetensors file holding one or more components, each under its prefix (Stability / ComfyUI layout:
/// model.diffusion_model., first_stage_model., text_encoders.{clip_l,clip_g,t5xxl}.transformer.) or, in a file of
/// one model, without one. Each component comes out under the names its model binds, with its config checked
/// against (or inferred from) its shapes. Only the header is read here; weights are mapped when opened.
/// </summary>
internal sealed class SingleFileLayout : IComponentLayout
{
    static readonly (string Prefix, PipelineComponent Component)[] Prefixes =
    [
        ("model.diffusion_model.", PipelineComponent.Transformer),
        ("first_stage_model.", PipelineComponent.Vae),
        ("text_encoders.clip_l.transformer.", PipelineComponent.TextEncoder),
        ("text_encoders.clip_g.transformer.", PipelineComponent.TextEncoder2),
        ("text_encoders.t5xxl.transformer.", PipelineComponent.TextEncoder3),
    ];

    readonly string path;
    readonly Dictionary<PipelineComponent, List<FileSection>> sections;
    readonly List<string> ignored = [];

    SingleFileLayout(string path, IReadOnlyList<TensorInfo> tensors)
    {
        this.path = path;
        sections = Classify(tensors);
        if (sections.Count == 0)
            throw new ModelFolderException($"{path}: no SD3 / SD3.5 component found: none of its {tensors.Count} tensors is under " +
                $"{string.Join(", ", Prefixes.Select(p => p.Prefix))} or named like an MMDiT or AutoencoderKL" +
                (tensors.Count > 0 ? $" (first: {MessageText.Quote(tensors[0].Name)})" : ""));
        Dialect = sections.Keys.Any(k => k.IsTextSide()) ? CheckpointDialect.AllInOneSingleFile
            : sections.Values.SelectMany(s => s).Any(s => s.Prefix.Length > 0 || NamingOf(s) == KeyKind.Original) ? CheckpointDialect.SaiSingleFile
            : CheckpointDialect.DiffusersSingleFile;
    }

    public static SingleFileLayout Open(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return FromHeader(path, file.Tensors);
    }

    /// <summary>The layout of a header alone (components and configs; opening weights needs the file).</summary>
    internal static SingleFileLayout FromHeader(string path, IReadOnlyList<TensorInfo> tensors) => new(path, tensors);

    public CheckpointDialect Dialect { get; }

    public IReadOnlyList<string> Ignored => ignored;

    public bool Has(PipelineComponent kind) => sections.ContainsKey(kind);

    public string WhereLooked(PipelineComponent kind)
    {
        string looked = kind switch
        {
            PipelineComponent.Transformer => "no SD3 / SD3.5 transformer (looked for model.diffusion_model.*, or joint_blocks.* / transformer_blocks.* without prefix)",
            PipelineComponent.Vae => "no VAE (looked for first_stage_model.*, or encoder.* / decoder.* without prefix)",
            _ when kind.IsTokenizer() => $"no {kind.SubfolderName()} (single files carry no tokenizers)",
            PipelineComponent.Scheduler => "no scheduler config (single files carry none)",
            _ => $"no {kind.SubfolderName()} (looked for {Prefixes.First(p => p.Component == kind).Prefix}*)",
        };
        var holds = sections.Values.SelectMany(s => s).Select(s => $"{s.Describe()} ({s.Component.SubfolderName()})");
        return $"{path}: {looked}; the file holds {string.Join(", ", holds)}";
    }

    public ModelComponent Get(PipelineComponent kind, GivenConfig? given)
    {
        if (!sections.TryGetValue(kind, out var candidates)) throw new ModelFolderException(WhereLooked(kind));
        if (candidates.Count > 1)
            throw new ModelFolderException($"{path}: two {kind.SubfolderName()} sections, {Example(candidates[0])} and {Example(candidates[1])}: a half-converted file?");
        var section = candidates[0];
        var (tensors, notes, naming) = Map(section);
        var (what, hint) = Describe(kind);
        var view = new ShapeView(path, what, tensors, name => section.Prefix + FileKeyOf(section, name));
        ConfigInference inference = kind switch
        {
            PipelineComponent.Transformer => new Sd3ConfigInference(view),
            PipelineComponent.Vae => new VaeConfigInference(view, besideSd3: sections.ContainsKey(PipelineComponent.Transformer)),
            PipelineComponent.TextEncoder => new ClipConfigInference(view, "quick_gelu"),
            PipelineComponent.TextEncoder2 => new ClipConfigInference(view, "gelu"),
            _ => new T5ConfigInference(view),
        };
        JsonElement config;
        string configSource;
        if (given != null)
        {
            inference.Check(given.Json, given.Source);
            (config, configSource) = (inference.Complete(given.Json), $"{given.Source} (checked against the shapes in {path})");
        }
        else
        {
            (config, configSource) = (JsonSerializer.SerializeToElement(inference.Infer(hint)), $"{path} (inferred from the shapes)");
        }
        bool identityProjection = kind is PipelineComponent.TextEncoder or PipelineComponent.TextEncoder2 && !view.Has("text_projection.weight");
        return new ModelComponent(kind, $"{path} [{section.Describe()}]", null, config, configSource,
            () => OpenSection(section), naming, identityProjection, notes);
    }

    /// <summary>Opens the file again and maps the same keys (the mapping is deterministic; the binder checks every shape).</summary>
    MappedTensorSource OpenSection(FileSection section)
    {
        var names = section.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var file = SafetensorsFile.Open(path);
        try
        {
            var reopened = section with { Tensors = [.. file.Tensors.Where(t => names.Contains(t.Name))] };
            return new MappedTensorSource(file, $"{path} [{section.Describe()}]", Map(reopened).Tensors);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    (List<MappedTensor> Tensors, List<string> Notes, string Naming) Map(FileSection section)
    {
        switch (section.Component)
        {
            case PipelineComponent.Transformer or PipelineComponent.Vae:
                bool transformer = section.Component == PipelineComponent.Transformer;
                if (RequireOneNaming(section) == KeyKind.Diffusers)
                    return ([.. section.Tensors.Select(t => MappedTensor.Rename(section.Key(t), t))], [], "diffusers names");
                return transformer
                    ? (SaiTransformerNames.Map(path, section), [], "SAI MMDiT names, mapped to diffusers names")
                    : (LdmVaeNames.Map(path, section), [], "original (LDM) VAE names, mapped to diffusers names");
            default:
                var (tensors, notes) = TextEncoderNames.Map(path, section, t5: section.Component == PipelineComponent.TextEncoder3);
                return (tensors, notes, "transformers names");
        }
    }

    /// <summary>The naming of a transformer or VAE section: diffusers' when it has a diffusers-only key, else the original.</summary>
    static KeyKind NamingOf(FileSection section) =>
        section.Component is PipelineComponent.Transformer or PipelineComponent.Vae
        && section.Tensors.Any(t => KindOf(section, t) == KeyKind.Diffusers) && !section.Tensors.Any(t => KindOf(section, t) == KeyKind.Original)
            ? KeyKind.Diffusers : KeyKind.Original;

    static KeyKind KindOf(FileSection section, TensorInfo tensor) =>
        section.Component == PipelineComponent.Transformer ? KeyKinds.Mmdit(section.Key(tensor)) : KeyKinds.Vae(section.Key(tensor));

    /// <summary><see cref="NamingOf"/>, where a key of another model, or keys of both namings, are errors.</summary>
    KeyKind RequireOneNaming(FileSection section)
    {
        TensorInfo? original = null, diffusers = null;
        foreach (var tensor in section.Tensors)
        {
            switch (KindOf(section, tensor))
            {
                case KeyKind.Foreign:
                    throw new ModelFolderException($"{path}: tensor {MessageText.Quote(tensor.Name)} is not an SD3 / SD3.5 " +
                        $"{(section.Component == PipelineComponent.Transformer ? "MMDiT" : "VAE")} name (a file of another model family?)");
                case KeyKind.Original: original ??= tensor; break;
                case KeyKind.Diffusers: diffusers ??= tensor; break;
            }
        }
        if (original != null && diffusers != null)
            throw new ModelFolderException($"{path}: tensor {MessageText.Quote(diffusers.Name)} has a diffusers name but {MessageText.Quote(original.Name)} " +
                "the original one: a half-converted file?");
        return diffusers != null ? KeyKind.Diffusers : KeyKind.Original;
    }

    static string FileKeyOf(FileSection section, string name) =>
        section.Component == PipelineComponent.Transformer && NamingOf(section) == KeyKind.Original ? SaiTransformerNames.FileKeyOf(name) : name;

    static (string What, string Hint) Describe(PipelineComponent kind) => kind switch
    {
        PipelineComponent.Transformer => ("an SD3 / SD3.5 MMDiT", "give --config FILE (the model's diffusers config.json)"),
        PipelineComponent.Vae => ("an AutoencoderKL", "give --vae DIR (a diffusers folder with vae/config.json)"),
        PipelineComponent.TextEncoder3 => ("a T5 encoder", "give --text-encoders DIR (a diffusers pipeline folder with text_encoder_3/config.json)"),
        _ => ("a CLIP text encoder", $"give --text-encoders DIR (a diffusers pipeline folder with {kind.SubfolderName()}/config.json)"),
    };

    static string Example(FileSection section) => $"{section.Describe()} ({MessageText.Quote(section.Tensors[0].Name)})";

    Dictionary<PipelineComponent, List<FileSection>> Classify(IReadOnlyList<TensorInfo> tensors)
    {
        var prefixed = new Dictionary<string, List<TensorInfo>>(StringComparer.Ordinal);
        List<TensorInfo> bareMmdit = [], bareVae = [];
        foreach (var tensor in tensors)
        {
            var prefix = Prefixes.FirstOrDefault(p => tensor.Name.StartsWith(p.Prefix, StringComparison.Ordinal)).Prefix;
            if (prefix != null) Add(prefixed, prefix, tensor);
            else if (tensor.Name.StartsWith("text_encoders.", StringComparison.Ordinal)) ignored.Add(tensor.Name);
            else if (KeyKinds.Mmdit(tensor.Name) != KeyKind.Foreign) bareMmdit.Add(tensor);
            else if (KeyKinds.Vae(tensor.Name) != KeyKind.Foreign) bareVae.Add(tensor);
            else ignored.Add(tensor.Name);
        }
        var result = new Dictionary<PipelineComponent, List<FileSection>>();
        foreach (var (prefix, component) in Prefixes)
            if (prefixed.TryGetValue(prefix, out var list)) Add(result, component, new FileSection(component, prefix, list));
        // Keys without prefix form a component only with its signature (blocks), so stray names do not.
        if (bareMmdit.Any(t => t.Name.StartsWith("joint_blocks.", StringComparison.Ordinal) || t.Name.StartsWith("transformer_blocks.", StringComparison.Ordinal)))
            Add(result, PipelineComponent.Transformer, new FileSection(PipelineComponent.Transformer, "", bareMmdit));
        else ignored.AddRange(bareMmdit.Select(t => t.Name));
        if (bareVae.Any(t => KeyKinds.Vae(t.Name) is KeyKind.Original or KeyKind.Diffusers))
            Add(result, PipelineComponent.Vae, new FileSection(PipelineComponent.Vae, "", bareVae));
        else ignored.AddRange(bareVae.Select(t => t.Name));
        return result;
    }

    static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }
}
