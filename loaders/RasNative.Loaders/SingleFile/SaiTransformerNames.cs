namespace RasNative.Loaders.SingleFile;

/// <summary>
/// Stability's MMDiT names (model.diffusion_model.*, sd3_impls.py) → diffusers' SD3Transformer2DModel names,
/// as diffusers' convert_sd3_transformer_checkpoint_to_diffusers maps them (docs/checkpoints.md has the table):
/// fused qkv split into thirds, the final layer's and the last context block's AdaLN halves swapped from
/// [shift, scale] to diffusers' [scale, shift]. Every key must map; none is copied.
/// </summary>
internal static class SaiTransformerNames
{
    const string Blocks = "joint_blocks.";

    /// <summary>Modules outside the blocks: SAI module → diffusers module.</summary>
    static readonly Dictionary<string, string> TopLevel = new(StringComparer.Ordinal)
    {
        ["x_embedder.proj"] = "pos_embed.proj",
        ["t_embedder.mlp.0"] = "time_text_embed.timestep_embedder.linear_1",
        ["t_embedder.mlp.2"] = "time_text_embed.timestep_embedder.linear_2",
        ["y_embedder.mlp.0"] = "time_text_embed.text_embedder.linear_1",
        ["y_embedder.mlp.2"] = "time_text_embed.text_embedder.linear_2",
        ["context_embedder"] = "context_embedder",
        ["final_layer.linear"] = "proj_out",
        ["final_layer.adaLN_modulation.1"] = "norm_out.linear",
    };

    /// <summary>Modules of a block's image stream (x_block): SAI module → diffusers module(s) under transformer_blocks.{i}.</summary>
    static readonly Dictionary<string, string[]> ImageStream = new(StringComparer.Ordinal)
    {
        ["attn.qkv"] = ["attn.to_q", "attn.to_k", "attn.to_v"],
        ["attn.proj"] = ["attn.to_out.0"],
        ["attn.ln_q"] = ["attn.norm_q"],
        ["attn.ln_k"] = ["attn.norm_k"],
        ["attn2.qkv"] = ["attn2.to_q", "attn2.to_k", "attn2.to_v"],
        ["attn2.proj"] = ["attn2.to_out.0"],
        ["attn2.ln_q"] = ["attn2.norm_q"],
        ["attn2.ln_k"] = ["attn2.norm_k"],
        ["adaLN_modulation.1"] = ["norm1.linear"],
        ["mlp.fc1"] = ["ff.net.0.proj"],
        ["mlp.fc2"] = ["ff.net.2"],
    };

    /// <summary>The same for the text stream (context_block).</summary>
    static readonly Dictionary<string, string[]> TextStream = new(StringComparer.Ordinal)
    {
        ["attn.qkv"] = ["attn.add_q_proj", "attn.add_k_proj", "attn.add_v_proj"],
        ["attn.proj"] = ["attn.to_add_out"],
        ["attn.ln_q"] = ["attn.norm_added_q"],
        ["attn.ln_k"] = ["attn.norm_added_k"],
        ["adaLN_modulation.1"] = ["norm1_context.linear"],
        ["mlp.fc1"] = ["ff_context.net.0.proj"],
        ["mlp.fc2"] = ["ff_context.net.2"],
    };

    /// <param name="where">The file, for messages.</param>
    public static List<MappedTensor> Map(string where, FileSection section)
    {
        int blocks = BlockIndices.Count(section.Tensors.Select(section.Key), Blocks, where, section.Prefix + Blocks);
        var mapped = new List<MappedTensor>();
        foreach (var tensor in section.Tensors)
        {
            string key = section.Key(tensor);
            if (key == "pos_embed")
                mapped.Add(MappedTensor.Rename("pos_embed.pos_embed", tensor));
            else if (BlockIndices.Parse(key, Blocks) is { } block)
                mapped.AddRange(MapBlockKey(where, tensor, key, block, last: block == blocks - 1));
            else if (Split(key) is var (module, parameter) && TopLevel.TryGetValue(module, out var target))
                mapped.Add(module == "final_layer.adaLN_modulation.1"
                    ? MappedTensor.SwapHalves($"{target}.{parameter}", tensor, where)
                    : MappedTensor.Rename($"{target}.{parameter}", tensor));
            else
                throw NotAnMmditName(where, tensor);
        }
        return mapped;
    }

    /// <summary>The file key (after the prefix) a diffusers top-level name comes from, for messages about absent tensors.</summary>
    public static string FileKeyOf(string diffusersName)
    {
        if (diffusersName == "pos_embed.pos_embed") return "pos_embed";
        if (Split(diffusersName) is not var (module, parameter)) return diffusersName;
        var source = TopLevel.FirstOrDefault(pair => pair.Value == module).Key;
        return source == null ? diffusersName : $"{source}.{parameter}";
    }

    static IEnumerable<MappedTensor> MapBlockKey(string where, TensorInfo tensor, string key, int block, bool last)
    {
        // joint_blocks.{i}.{x_block|context_block}.{module}.{parameter}
        string afterIndex = key[(Blocks.Length + block.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1)..];
        int dot = afterIndex.IndexOf('.');
        string stream = dot < 0 ? afterIndex : afterIndex[..dot];
        var table = stream switch { "x_block" => ImageStream, "context_block" => TextStream, _ => null };
        if (table == null || dot < 0 || Split(afterIndex[(dot + 1)..]) is not var (module, parameter) || !table.TryGetValue(module, out var targets))
            throw NotAnMmditName(where, tensor);

        string prefix = $"transformer_blocks.{block}.";
        if (targets.Length == 3)
            return targets.Select((target, i) => MappedTensor.RowBlock($"{prefix}{target}.{parameter}", tensor, i, 3, where));
        // The last block's text stream is context_pre_only: its AdaLN (AdaLayerNormContinuous in diffusers) has the
        // final layer's [shift, scale] order.
        bool swap = last && stream == "context_block" && module == "adaLN_modulation.1";
        return [swap ? MappedTensor.SwapHalves($"{prefix}{targets[0]}.{parameter}", tensor, where) : MappedTensor.Rename($"{prefix}{targets[0]}.{parameter}", tensor)];
    }

    /// <summary>"a.b.weight" → ("a.b", "weight"); null unless the key ends in .weight or .bias.</summary>
    static (string Module, string Parameter)? Split(string key)
    {
        int dot = key.LastIndexOf('.');
        return dot > 0 && key[(dot + 1)..] is "weight" or "bias" ? (key[..dot], key[(dot + 1)..]) : null;
    }

    static ModelFolderException NotAnMmditName(string where, TensorInfo tensor) =>
        new($"{where}: tensor {MessageText.Quote(tensor.Name)} is not an SD3 / SD3.5 MMDiT name (another model family, or a newer layout?)");
}
