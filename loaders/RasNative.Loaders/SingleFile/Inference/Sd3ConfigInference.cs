using System.Text.Json;
using System.Text.Json.Nodes;

namespace RasNative.Loaders.SingleFile.Inference;

/// <summary>
/// SD3Transformer2DModel's config from its tensors (diffusers names). Measured: num_layers, patch_size,
/// in/out_channels, pos_embed_max_size (√ of pos_embed's token count), joint_attention_dim,
/// caption_projection_dim, pooled_projection_dim, qk_norm (rms_norm when norm_q exists), dual_attention_layers
/// (blocks with attn2), and the width heads × head_dim. Assumed (every released SD3 / SD3.5 model): 64-wide
/// heads, sample_size 128. The last block must be context_pre_only, as SD3Transformer2DModel builds it.
/// </summary>
internal sealed class Sd3ConfigInference : ConfigInference
{
    const int ReleasedHeadDim = 64;
    const int ReleasedSampleSize = 128;
    const string Blocks = "transformer_blocks.";
    readonly int width;

    public Sd3ConfigInference(ShapeView view) : base(view)
    {
        var proj = view.Shape("pos_embed.proj.weight", 4);
        width = checked((int)proj[0]);
        int patch = checked((int)proj[2]);
        if (proj[3] != patch) throw view.Error($"tensor {view.Show("pos_embed.proj.weight")}: the patch must be square");
        int inChannels = checked((int)proj[1]);

        var table = view.Shape("pos_embed.pos_embed", 3);
        int side = (int)Math.Round(Math.Sqrt(table[1]));
        if (table[0] != 1 || (long)side * side != table[1] || table[2] != width)
            throw view.Error($"tensor {view.Show("pos_embed.pos_embed")} must be [1, M·M, {width}] (a square grid of positions)");

        int outRows = view.Dim("proj_out.weight", 2, 0);
        if (outRows % (patch * patch) != 0)
            throw view.Error($"tensor {view.Show("proj_out.weight")}: rows must be patch_size² · out_channels = {patch * patch} · C");

        int layers = BlockIndices.Count(view.Names, Blocks, view.Where, Blocks);
        if (layers == 0) throw view.Error($"not {view.What}: no transformer blocks");
        RequireContextPreOnlyLast(layers);
        var qkNorm = view.Names.FirstOrDefault(n => n.StartsWith(Blocks, StringComparison.Ordinal) && n.EndsWith(".attn.norm_q.weight", StringComparison.Ordinal));
        var dual = Enumerable.Range(0, layers).Where(i => view.Has($"{Blocks}{i}.attn2.to_q.weight")).ToArray();
        string lastBlock = $"{Blocks}{layers - 1}.norm1.linear.weight";

        Measured =
        [
            new("_class_name", Sd3TransformerConfig.ClassName, "an MMDiT's tensors"),
            new("num_layers", layers, $"blocks 0 … {layers - 1}, the last {view.Show(lastBlock)}"),
            new("patch_size", patch, view.Show("pos_embed.proj.weight")),
            new("in_channels", inChannels, view.Show("pos_embed.proj.weight")),
            new("out_channels", outRows / (patch * patch), view.Show("proj_out.weight")),
            new("pos_embed_max_size", side, view.Show("pos_embed.pos_embed")),
            new("joint_attention_dim", view.Dim("context_embedder.weight", 2, 1), view.Show("context_embedder.weight")),
            new("caption_projection_dim", view.Dim("context_embedder.weight", 2, 0), view.Show("context_embedder.weight")),
            new("pooled_projection_dim", view.Dim("time_text_embed.text_embedder.linear_1.weight", 2, 1), view.Show("time_text_embed.text_embedder.linear_1.weight")),
            new("qk_norm", qkNorm == null ? null : "rms_norm", qkNorm == null ? "no qk-norm tensors (ln_q / norm_q)" : view.Show(qkNorm)),
            new("dual_attention_layers", IntArray(dual), dual.Length == 0 ? "no block has attn2" : $"attn2 in blocks {string.Join(", ", dual)}"),
        ];
    }

    public override IReadOnlyList<Measured> Measured { get; }

    public override JsonObject Infer(string hint)
    {
        if (width % ReleasedHeadDim != 0)
            throw View.Error($"the transformer's width {width} ({View.Show("pos_embed.proj.weight")}) is not a multiple of {ReleasedHeadDim}, " +
                $"so its number of heads cannot be inferred (released SD3 / SD3.5 models use {ReleasedHeadDim}-wide heads): {hint}");
        return Compose(new JsonObject
        {
            ["attention_head_dim"] = ReleasedHeadDim,
            ["num_attention_heads"] = width / ReleasedHeadDim,
            ["sample_size"] = ReleasedSampleSize,
        });
    }

    public override void Check(JsonElement given, string source)
    {
        base.Check(given, source);
        var config = Sd3TransformerConfig.FromJson(given, source);
        if (config.InnerDim != width)
            throw new ModelFolderException($"{source}: 'num_attention_heads' × 'attention_head_dim' = {config.NumAttentionHeads} × {config.AttentionHeadDim} = {config.InnerDim}, " +
                $"but the checkpoint's width is {width} ({View.Show("pos_embed.proj.weight")})");
    }

    /// <summary>A config.json without "_class_name" (the file is an MMDiT, so it is SD3Transformer2DModel).</summary>
    public override JsonElement Complete(JsonElement given)
    {
        if (given.TryGetProperty("_class_name", out _)) return given;
        var config = JsonNode.Parse(given.GetRawText())!.AsObject();
        config.Insert(0, "_class_name", Sd3TransformerConfig.ClassName);
        return JsonSerializer.SerializeToElement(config);
    }

    protected override JsonNode? DefaultOf(string key, JsonElement given) => key switch
    {
        // diffusers: out_channels None → in_channels.
        "out_channels" => given.TryGetProperty("in_channels", out var inChannels) && inChannels.ValueKind == JsonValueKind.Number
            ? JsonNode.Parse(inChannels.GetRawText())
            : new Sd3TransformerConfig().InChannels,
        _ => new Sd3TransformerConfig().ToJsonObject()[key]?.DeepClone(),
    };

    /// <summary>SD3Transformer2DModel makes only the last block context_pre_only: no to_add_out and no ff_context there, both elsewhere.</summary>
    void RequireContextPreOnlyLast(int layers)
    {
        string last = $"{Blocks}{layers - 1}.";
        var extra = View.Names.Where(n => n.StartsWith(last + "attn.to_add_out.", StringComparison.Ordinal) || n.StartsWith(last + "ff_context.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).FirstOrDefault();
        if (extra != null)
            throw View.Error($"tensor {View.Show(extra)}: the last block must be context_pre_only (no context output projection or feed-forward), as in SD3Transformer2DModel");
    }
}
