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
    readonly string path;
    readonly Dictionary<PipelineComponent, List<FileSection>> sections;
    readonly List<string> ignored;

    SingleFileLayout(string path, IReadOnlyList<TensorInfo> tensors)
    {
        this.path = path;
        (sections, ignored) = FileSections.Find(tensors);
        if (sections.Count == 0)
            throw new ModelFolderException($"{path}: no SD3 / SD3.5 component found: none of its {tensors.Count} tensors is under " +
                $"{string.Join(", ", FileSections.Prefixes.Select(p => p.Prefix))} or named like an MMDiT or AutoencoderKL" +
                (tensors.Count > 0 ? $" (first: {MessageText.Quote(tensors[0].Name)})" : ""));
        Dialect = sections.Keys.Any(k => k.IsTextSide()) ? CheckpointDialect.AllInOneSingleFile
            : sections.Values.SelectMany(s => s).Any(s => s.Prefix.Length > 0 || SectionMapping.NamingOf(s) == KeyKind.Original) ? CheckpointDialect.SaiSingleFile
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
            _ => $"no {kind.SubfolderName()} (looked for {FileSections.Prefixes.First(p => p.Component == kind).Prefix}*)",
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
        var (tensors, notes, naming) = SectionMapping.Map(path, section);
        var (what, hint) = Describe(kind);
        var view = new ShapeView(path, what, tensors, name => section.Prefix + SectionMapping.FileKeyOf(section, name));
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
            return new MappedTensorSource(file, $"{path} [{section.Describe()}]", SectionMapping.Map(path, reopened).Tensors);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    static (string What, string Hint) Describe(PipelineComponent kind) => kind switch
    {
        PipelineComponent.Transformer => ("an SD3 / SD3.5 MMDiT", "give --config FILE (the model's diffusers config.json)"),
        PipelineComponent.Vae => ("an AutoencoderKL", "give --vae DIR (a diffusers folder with vae/config.json)"),
        PipelineComponent.TextEncoder3 => ("a T5 encoder", "give --text-encoders DIR (a diffusers pipeline folder with text_encoder_3/config.json)"),
        _ => ("a CLIP text encoder", $"give --text-encoders DIR (a diffusers pipeline folder with {kind.SubfolderName()}/config.json)"),
    };

    static string Example(FileSection section) => $"{section.Describe()} ({MessageText.Quote(section.Tensors[0].Name)})";
}
