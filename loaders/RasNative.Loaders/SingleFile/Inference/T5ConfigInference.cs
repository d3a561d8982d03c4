using System.Text.Json;
using System.Text.Json.Nodes;

namespace RasNative.Loaders.SingleFile.Inference;

/// <summary>
/// T5EncoderModel's config from its tensors (transformers names); the shapes tell nearly everything: vocab_size,
/// d_model, num_layers, num_heads and relative_attention_num_buckets (relative_attention_bias [buckets, heads]),
/// d_kv, d_ff, and whether the feed-forward is gated (wi_0 / wi_1). Assumed, as T5 v1.1 XXL (SD3's
/// text_encoder_3): gated-gelu with gelu_new, layer_norm_epsilon 1e-6, relative_attention_max_distance 128.
/// </summary>
internal sealed class T5ConfigInference : ConfigInference
{
    readonly bool gated;

    public T5ConfigInference(ShapeView view) : base(view)
    {
        const string shared = "shared.weight", attention = "encoder.block.0.layer.0.SelfAttention.", ff = "encoder.block.0.layer.1.DenseReluDense.";
        int layers = BlockIndices.Count(view.Names, "encoder.block.", view.Where, "encoder.block.");
        if (layers == 0) throw view.Error($"not {view.What}: no encoder blocks");
        string bias = attention + "relative_attention_bias.weight";
        int heads = view.Dim(bias, 2, 1);
        int qRows = view.Dim(attention + "q.weight", 2, 0);
        if (heads == 0 || qRows % heads != 0)
            throw view.Error($"tensor {view.Show(attention + "q.weight")}: rows must be num_heads · d_kv with num_heads = {heads} ({view.Show(bias)})");
        gated = view.Has(ff + "wi_0.weight");
        string wi = gated ? ff + "wi_0.weight" : ff + "wi.weight";
        Measured =
        [
            new("vocab_size", view.Dim(shared, 2, 0), view.Show(shared)),
            new("d_model", view.Dim(shared, 2, 1), view.Show(shared)),
            new("num_layers", layers, $"blocks 0 … {layers - 1}"),
            new("num_heads", heads, view.Show(bias)),
            new("relative_attention_num_buckets", view.Dim(bias, 2, 0), view.Show(bias)),
            new("d_kv", qRows / heads, view.Show(attention + "q.weight")),
            new("d_ff", view.Dim(wi, 2, 0), view.Show(wi)),
            new("feed_forward_proj", gated ? "gated-gelu" : "relu", gated ? $"gated: {view.Show(wi)}" : $"not gated: {view.Show(wi)}",
                value => (value?.GetValueKind() == JsonValueKind.String && value.GetValue<string>().StartsWith("gated-", StringComparison.Ordinal)) == gated),
        ];
    }

    public override IReadOnlyList<Measured> Measured { get; }

    public override JsonObject Infer(string hint) => Compose(new JsonObject
    {
        ["architectures"] = new JsonArray("T5EncoderModel"),
        ["decoder_start_token_id"] = 0,
        ["dense_act_fn"] = gated ? "gelu_new" : "relu",
        ["dropout_rate"] = 0.0,
        ["eos_token_id"] = 1,
        ["is_encoder_decoder"] = false,
        ["is_gated_act"] = gated,
        ["layer_norm_epsilon"] = 1e-6,
        ["model_type"] = "t5",
        ["pad_token_id"] = 0,
        ["relative_attention_max_distance"] = 128,
        ["tie_word_embeddings"] = false,
    });

    /// <summary>transformers' T5Config defaults.</summary>
    protected override JsonNode? DefaultOf(string key, JsonElement given) => key switch
    {
        "vocab_size" => 32128,
        "d_model" => 512,
        "num_layers" => 6,
        "num_heads" => 8,
        "relative_attention_num_buckets" => 32,
        "d_kv" => 64,
        "d_ff" => 2048,
        "feed_forward_proj" => "relu",
        _ => null,
    };
}
