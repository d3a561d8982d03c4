namespace RasNative.Loaders.SingleFile;

/// <summary>
/// The original (LDM / CompVis) AutoencoderKL names (first_stage_model.*) → diffusers' AutoencoderKL names, as
/// diffusers' convert_ldm_vae_checkpoint maps them: down.{i}.block.{j} → down_blocks.{i}.resnets.{j}, up.{k} →
/// up_blocks.{L−1−k} (the original numbers up blocks from the bottom), mid.block_{n} → mid_block.resnets.{n−1},
/// mid.attn_1.{norm,q,k,v,proj_out} → mid_block.attentions.0.{group_norm,to_q,to_k,to_v,to_out.0} with the 1×1
/// conv weights [C, C, 1, 1] read as Linear weights [C, C], nin_shortcut → conv_shortcut, norm_out →
/// conv_norm_out. Encoder and decoder are both mapped. Every key must map.
/// </summary>
internal static class LdmVaeNames
{
    static readonly Dictionary<string, string> ResnetParts = new(StringComparer.Ordinal)
    {
        ["norm1"] = "norm1", ["conv1"] = "conv1", ["norm2"] = "norm2", ["conv2"] = "conv2", ["nin_shortcut"] = "conv_shortcut",
    };

    static readonly Dictionary<string, string> AttentionParts = new(StringComparer.Ordinal)
    {
        ["norm"] = "group_norm", ["q"] = "to_q", ["k"] = "to_k", ["v"] = "to_v", ["proj_out"] = "to_out.0",
    };

    public static List<MappedTensor> Map(string where, FileSection section)
    {
        var keys = section.Tensors.Select(section.Key).ToList();
        BlockIndices.Count(keys, "encoder.down.", where, section.Prefix + "encoder.down.");
        int upLevels = BlockIndices.Count(keys, "decoder.up.", where, section.Prefix + "decoder.up.");
        return [.. section.Tensors.Select(tensor => MapKey(where, tensor, section.Key(tensor), upLevels))];
    }

    static MappedTensor MapKey(string where, TensorInfo tensor, string key, int upLevels)
    {
        var parts = key.Split('.');
        if (parts is ["quant_conv" or "post_quant_conv", "weight" or "bias"]) return MappedTensor.Rename(key, tensor);
        string coder = parts[0], parameter = parts[^1];
        if (parts.Length < 3 || coder is not ("encoder" or "decoder") || parameter is not ("weight" or "bias"))
            throw NotAVaeName(where, tensor);
        string? module = parts[1..^1] switch
        {
            ["conv_in"] or ["conv_out"] => parts[1],
            ["norm_out"] => "conv_norm_out",
            ["down", var i, "block", var j, var part] when coder == "encoder" && Index(i) is { } && Index(j) is { } && ResnetParts.TryGetValue(part, out var p)
                => $"down_blocks.{i}.resnets.{j}.{p}",
            ["down", var i, "downsample", "conv"] when coder == "encoder" && Index(i) is { } => $"down_blocks.{i}.downsamplers.0.conv",
            ["up", var k, "block", var j, var part] when coder == "decoder" && Index(k) is { } level && Index(j) is { } && ResnetParts.TryGetValue(part, out var p)
                => $"up_blocks.{upLevels - 1 - level}.resnets.{j}.{p}",
            ["up", var k, "upsample", "conv"] when coder == "decoder" && Index(k) is { } level => $"up_blocks.{upLevels - 1 - level}.upsamplers.0.conv",
            ["mid", var block, var part] when block.StartsWith("block_", StringComparison.Ordinal) && Index(block["block_".Length..]) is >= 1 and var n
                && ResnetParts.TryGetValue(part, out var p) => $"mid_block.resnets.{n - 1}.{p}",
            ["mid", "attn_1", var part] when AttentionParts.TryGetValue(part, out var a) => $"mid_block.attentions.0.{a}",
            _ => null,
        };
        if (module == null) throw NotAVaeName(where, tensor);
        string name = $"{coder}.{module}.{parameter}";
        return module.StartsWith("mid_block.attentions.0.to_", StringComparison.Ordinal) && parameter == "weight"
            ? AttentionWeight(where, name, tensor)
            : MappedTensor.Rename(name, tensor);
    }

    /// <summary>The original stores the attention projections as 1×1 convs [C, C, 1, 1]; diffusers as Linear [C, C].</summary>
    static MappedTensor AttentionWeight(string where, string name, TensorInfo tensor) => tensor.Shape switch
    {
        [var o, var i, 1, 1] => MappedTensor.Reshape(name, tensor, [o, i]),
        [_, _] => MappedTensor.Rename(name, tensor),
        _ => throw new ModelFolderException($"{where}: tensor {MessageText.Quote(tensor.Name)} has shape {tensor.ShapeText}; an attention projection must be a 1×1 conv [C, C, 1, 1] or a Linear [C, C]"),
    };

    static int? Index(string text) => BlockIndices.ParseIndex(text);

    static ModelFolderException NotAVaeName(string where, TensorInfo tensor) =>
        new($"{where}: tensor {MessageText.Quote(tensor.Name)} is not an AutoencoderKL name in the original (LDM) layout");
}
