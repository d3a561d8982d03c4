namespace RasNative.Loaders.SingleFile;

/// <summary>
/// text_encoders.{clip_l,clip_g,t5xxl}.transformer.* hold transformers' own names: the prefix is all there is to
/// strip. Left out, to give the tensors a transformers folder holds: CLIP's position_ids (a non-persistent
/// buffer some files carry) and T5's encoder.embed_tokens.weight (a tied copy of shared.weight, which
/// save_pretrained drops; a file holding only the copy gives it as shared.weight).
/// </summary>
internal static class TextEncoderNames
{
    const string ClipPositionIds = "text_model.embeddings.position_ids";
    const string T5Shared = "shared.weight";
    const string T5TiedCopy = "encoder.embed_tokens.weight";

    public static (List<MappedTensor> Tensors, List<string> Notes) Map(string where, FileSection section, bool t5)
    {
        var mapped = new List<MappedTensor>();
        var notes = new List<string>();
        var keys = section.Tensors.Select(section.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in section.Tensors)
        {
            string key = section.Key(tensor);
            if (!t5 && key == ClipPositionIds)
                notes.Add($"{tensor.Name} ignored (a non-persistent buffer: positions 0 … n−1)");
            else if (t5 && key == T5TiedCopy && keys.Contains(T5Shared))
                notes.Add($"{tensor.Name} ignored (tied to {section.Prefix}{T5Shared}; transformers folders omit it)");
            else if (KeyKinds.TextEncoder(key, t5) == KeyKind.Foreign)
                throw new ModelFolderException($"{where}: tensor {MessageText.Quote(tensor.Name)} is not a transformers {(t5 ? "T5EncoderModel" : "CLIPTextModel")} name" +
                    (t5 ? "" : " (open_clip's resblocks layout is not supported)"));
            else
                mapped.Add(MappedTensor.Rename(t5 && key == T5TiedCopy ? T5Shared : key, tensor));
        }
        return (mapped, notes);
    }
}
