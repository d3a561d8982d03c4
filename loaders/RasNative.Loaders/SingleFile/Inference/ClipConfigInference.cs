using System.Text.Json;
using System.Text.Json.Nodes;

namespace RasNative.Loaders.SingleFile.Inference;

/// <summary>
/// CLIPTextModelWithProjection's config from its tensors (transformers names). Measured: vocab_size,
/// hidden_size, max_position_embeddings, num_hidden_layers, intermediate_size, projection_dim (the stored
/// text_projection's rows; hidden_size when the file stores none and the projection is the identity). Assumed,
/// as SD3's released text_encoder / text_encoder_2 configs: 64-wide heads, quick_gelu (CLIP-L) or gelu (CLIP-G),
/// layer_norm_eps 1e-5, token ids bos 0 / eos 2 / pad 1 (eos 2 selects transformers' argmax pooling).
/// </summary>
internal sealed class ClipConfigInference : ConfigInference
{
    const int ReleasedHeadDim = 64;
    readonly string activation;
    readonly int hidden;

    /// <param name="activation">"quick_gelu" for CLIP-L, "gelu" for CLIP-G.</param>
    public ClipConfigInference(ShapeView view, string activation) : base(view)
    {
        this.activation = activation;
        const string tokens = "text_model.embeddings.token_embedding.weight", positions = "text_model.embeddings.position_embedding.weight";
        const string layersPrefix = "text_model.encoder.layers.", projection = "text_projection.weight";
        hidden = view.Dim(tokens, 2, 1);
        int layers = BlockIndices.Count(view.Names, layersPrefix, view.Where, layersPrefix);
        if (layers == 0) throw view.Error($"not {view.What}: no encoder layers");
        Measured =
        [
            new("vocab_size", view.Dim(tokens, 2, 0), view.Show(tokens)),
            new("hidden_size", hidden, view.Show(tokens)),
            new("max_position_embeddings", view.Dim(positions, 2, 0), view.Show(positions)),
            new("num_hidden_layers", layers, $"layers 0 … {layers - 1}"),
            new("intermediate_size", view.Dim($"{layersPrefix}0.mlp.fc1.weight", 2, 0), view.Show($"{layersPrefix}0.mlp.fc1.weight")),
            view.Has(projection)
                ? new("projection_dim", view.Dim(projection, 2, 0), view.Show(projection))
                : new("projection_dim", hidden, "no text_projection.weight: the identity"),
        ];
    }

    public override IReadOnlyList<Measured> Measured { get; }

    public override JsonObject Infer(string hint)
    {
        if (hidden % ReleasedHeadDim != 0)
            throw View.Error($"the text encoder's width {hidden} is not a multiple of {ReleasedHeadDim}, so its number of heads cannot be inferred " +
                $"(released CLIP encoders use {ReleasedHeadDim}-wide heads): {hint}");
        return Compose(new JsonObject
        {
            ["architectures"] = new JsonArray("CLIPTextModelWithProjection"),
            ["attention_dropout"] = 0.0,
            ["bos_token_id"] = 0,
            ["dropout"] = 0.0,
            ["eos_token_id"] = 2,
            ["hidden_act"] = activation,
            ["layer_norm_eps"] = 1e-5,
            ["model_type"] = "clip_text_model",
            ["num_attention_heads"] = hidden / ReleasedHeadDim,
            ["pad_token_id"] = 1,
        });
    }

    /// <summary>transformers' CLIPTextConfig defaults.</summary>
    protected override JsonNode? DefaultOf(string key, JsonElement given) => key switch
    {
        "vocab_size" => 49408,
        "hidden_size" or "projection_dim" => 512,
        "intermediate_size" => 2048,
        "num_hidden_layers" => 12,
        "max_position_embeddings" => 77,
        _ => null,
    };
}
