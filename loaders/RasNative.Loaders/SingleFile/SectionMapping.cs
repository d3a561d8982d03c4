using RasNative.Loaders.ModelSources;

namespace RasNative.Loaders.SingleFile;

/// <summary>
/// Maps a section by its naming: transformer and VAE sections in the original names (SAI MMDiT, LDM VAE) through
/// their tables, in diffusers names as they are; text encoders by stripping the prefix. One naming per section.
/// </summary>
internal static class SectionMapping
{
    /// <summary>The section's tensors under the names its model binds, what was left out, and how the names were mapped.</summary>
    public static (List<MappedTensor> Tensors, List<string> Notes, string Naming) Map(string path, FileSection section)
    {
        switch (section.Component)
        {
            case PipelineComponent.Transformer or PipelineComponent.Vae:
                bool transformer = section.Component == PipelineComponent.Transformer;
                if (RequireOneNaming(path, section) == KeyKind.Diffusers)
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
    public static KeyKind NamingOf(FileSection section) =>
        section.Component is PipelineComponent.Transformer or PipelineComponent.Vae
        && section.Tensors.Any(t => KindOf(section, t) == KeyKind.Diffusers) && !section.Tensors.Any(t => KindOf(section, t) == KeyKind.Original)
            ? KeyKind.Diffusers : KeyKind.Original;

    static KeyKind KindOf(FileSection section, TensorInfo tensor) =>
        section.Component == PipelineComponent.Transformer ? KeyKinds.Mmdit(section.Key(tensor)) : KeyKinds.Vae(section.Key(tensor));

    /// <summary><see cref="NamingOf"/>, where a key of another model, or keys of both namings, are errors.</summary>
    static KeyKind RequireOneNaming(string path, FileSection section)
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

    /// <summary>The file key (after the prefix) a mapped name comes from, for messages about tensors that are missing.</summary>
    public static string FileKeyOf(FileSection section, string name) =>
        section.Component == PipelineComponent.Transformer && NamingOf(section) == KeyKind.Original ? SaiTransformerNames.FileKeyOf(name) : name;
}
