using System.Text.Json;

namespace RasNative.Loaders.ModelSources;

/// <summary>
/// A diffusers pipeline folder: each component in its subfolder (transformer/, vae/, text_encoder*/,
/// tokenizer*/, scheduler/). model_index.json is optional; when present it must be valid, and a component it
/// names whose folder is missing is reported as such. Entries [null, null] (an absent optional component) are skipped.
/// </summary>
internal sealed class PipelineFolderLayout : IComponentLayout
{
    public const string IndexFileName = "model_index.json";
    readonly string root;
    readonly string? indexPath;
    readonly HashSet<string> named = new(StringComparer.Ordinal);

    public PipelineFolderLayout(string root)
    {
        this.root = root;
        var index = Path.Combine(root, IndexFileName);
        if (!File.Exists(index)) return;
        indexPath = index;
        foreach (var entry in JsonFile.ReadObject(index, message => new ModelFolderException(message)).EnumerateObject())
            if (entry.Value.ValueKind == JsonValueKind.Array && entry.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Null))
                named.Add(entry.Name);
    }

    /// <summary>Whether <paramref name="path"/> looks like a pipeline folder: model_index.json or any component subfolder.</summary>
    public static bool Recognise(string path) =>
        File.Exists(Path.Combine(path, IndexFileName)) || Enum.GetValues<PipelineComponent>().Any(c => Directory.Exists(Path.Combine(path, c.SubfolderName())));

    public CheckpointDialect Dialect => CheckpointDialect.DiffusersPipeline;

    public IReadOnlyList<string> Ignored => [];

    public bool Has(PipelineComponent kind) => Directory.Exists(Folder(kind));

    public ModelComponent Get(PipelineComponent kind, GivenConfig? given)
    {
        if (!Has(kind)) throw new ModelFolderException(WhereLooked(kind));
        return ComponentFolder.Load(kind, Folder(kind));
    }

    public string WhereLooked(PipelineComponent kind) => named.Contains(kind.SubfolderName())
        ? $"{Folder(kind)}: {kind.SubfolderName()} folder not found (named in {indexPath})"
        : $"{root}: no {kind.SubfolderName()} component (looked for the folder {Folder(kind)})";

    string Folder(PipelineComponent kind) => Path.Combine(root, kind.SubfolderName());
}
