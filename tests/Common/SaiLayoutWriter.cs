using System.Text.RegularExpressions;
using RasNative.Loaders;

namespace RasNative.Tests;

/// <summary>
/// Test-only inverse of the single-file mapping, written independently from the table in
/// fixtures/sd3-single-file/README.md: a diffusers SD3Transformer2DModel state dict → Stability's layout
/// (q/k/v concatenated into qkv, the final layer's and the last context block's AdaLN halves swapped).
/// Checked against the fixture's own SAI files, which diffusers' conversion verified.
/// </summary>
public static partial class SaiLayoutWriter
{
    static readonly (string Diffusers, string Sai)[] TopLevel =
    [
        ("pos_embed.proj.", "x_embedder.proj."),
        ("time_text_embed.timestep_embedder.linear_1.", "t_embedder.mlp.0."),
        ("time_text_embed.timestep_embedder.linear_2.", "t_embedder.mlp.2."),
        ("time_text_embed.text_embedder.linear_1.", "y_embedder.mlp.0."),
        ("time_text_embed.text_embedder.linear_2.", "y_embedder.mlp.2."),
        ("context_embedder.", "context_embedder."),
        ("proj_out.", "final_layer.linear."),
        ("norm_out.linear.", "final_layer.adaLN_modulation.1."),
    ];

    /// <summary>diffusers module in a block → (SAI module, part of a fused qkv or -1).</summary>
    static readonly Dictionary<string, (string Sai, int Part)> BlockModules = new()
    {
        ["attn.to_q"] = ("x_block.attn.qkv", 0), ["attn.to_k"] = ("x_block.attn.qkv", 1), ["attn.to_v"] = ("x_block.attn.qkv", 2),
        ["attn.add_q_proj"] = ("context_block.attn.qkv", 0), ["attn.add_k_proj"] = ("context_block.attn.qkv", 1), ["attn.add_v_proj"] = ("context_block.attn.qkv", 2),
        ["attn.to_out.0"] = ("x_block.attn.proj", -1), ["attn.to_add_out"] = ("context_block.attn.proj", -1),
        ["attn.norm_q"] = ("x_block.attn.ln_q", -1), ["attn.norm_k"] = ("x_block.attn.ln_k", -1),
        ["attn.norm_added_q"] = ("context_block.attn.ln_q", -1), ["attn.norm_added_k"] = ("context_block.attn.ln_k", -1),
        ["attn2.to_q"] = ("x_block.attn2.qkv", 0), ["attn2.to_k"] = ("x_block.attn2.qkv", 1), ["attn2.to_v"] = ("x_block.attn2.qkv", 2),
        ["attn2.to_out.0"] = ("x_block.attn2.proj", -1), ["attn2.norm_q"] = ("x_block.attn2.ln_q", -1), ["attn2.norm_k"] = ("x_block.attn2.ln_k", -1),
        ["norm1.linear"] = ("x_block.adaLN_modulation.1", -1), ["norm1_context.linear"] = ("context_block.adaLN_modulation.1", -1),
        ["ff.net.0.proj"] = ("x_block.mlp.fc1", -1), ["ff.net.2"] = ("x_block.mlp.fc2", -1),
        ["ff_context.net.0.proj"] = ("context_block.mlp.fc1", -1), ["ff_context.net.2"] = ("context_block.mlp.fc2", -1),
    };

    [GeneratedRegex(@"^transformer_blocks\.(\d+)\.(.+)\.(weight|bias)$")]
    private static partial Regex BlockKey();

    /// <summary>The tensors of <paramref name="diffusers"/> (F32) under SAI names with <paramref name="prefix"/>.</summary>
    public static List<TensorToWrite> Convert(ITensorSource diffusers, string prefix = "model.diffusion_model.")
    {
        int last = diffusers.Tensors.Select(t => BlockKey().Match(t.Name)).Where(m => m.Success).Max(m => int.Parse(m.Groups[1].Value));
        var parts = new Dictionary<string, SortedDictionary<int, (float[] Data, long[] Shape)>>();
        foreach (var tensor in diffusers.Tensors)
        {
            var data = diffusers.ReadFloat32(tensor.Name);
            var (name, part, swap) = SaiName(tensor.Name, last);
            if (swap) data = [.. data[(data.Length / 2)..], .. data[..(data.Length / 2)]];
            if (!parts.TryGetValue(prefix + name, out var list)) parts[prefix + name] = list = [];
            list.Add(Math.Max(part, 0), (data, tensor.Shape));
        }
        return [.. parts.Select(pair =>
        {
            var pieces = pair.Value.Values.ToList();
            long[] shape = [pieces.Sum(p => p.Shape[0]), .. pieces[0].Shape[1..]];
            return TensorToWrite.F32(pair.Key, [.. pieces.SelectMany(p => p.Data)], shape);
        })];
    }

    /// <summary>The SAI key of a diffusers key, which third of a fused qkv it is (or -1), and whether its halves swap.</summary>
    public static (string Name, int Part, bool Swap) SaiName(string name, int lastBlock)
    {
        if (name == "pos_embed.pos_embed") return ("pos_embed", -1, false);
        foreach (var (diffusers, sai) in TopLevel)
            if (name.StartsWith(diffusers, StringComparison.Ordinal))
                return (sai + name[diffusers.Length..], -1, diffusers == "norm_out.linear.");
        var match = BlockKey().Match(name);
        if (!match.Success || !BlockModules.TryGetValue(match.Groups[2].Value, out var target))
            throw new ArgumentException($"not an SD3 transformer name: {name}");
        int block = int.Parse(match.Groups[1].Value);
        bool swap = block == lastBlock && match.Groups[2].Value == "norm1_context.linear";
        return ($"joint_blocks.{block}.{target.Sai}.{match.Groups[3].Value}", target.Part, swap);
    }
}
