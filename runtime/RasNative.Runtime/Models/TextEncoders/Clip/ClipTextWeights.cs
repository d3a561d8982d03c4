using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.Clip;

/// <summary>
/// CLIPTextModelWithProjection's parameters, one member per transformers module, bound by checkpoint name. Every
/// Linear but text_projection has a bias; text_projection is absent where Stability's single files use the identity.
/// </summary>
public sealed class ClipTextWeights
{
    public required EmbeddingTable TokenEmbedding { get; init; }   // text_model.embeddings.token_embedding
    public required Tensor PositionEmbedding { get; init; }        // text_model.embeddings.position_embedding [positions, D]
    public required ClipLayerWeights[] Layers { get; init; }       // text_model.encoder.layers.{i}
    public required LayerNormWeights FinalLayerNorm { get; init; } // text_model.final_layer_norm
    public LinearWeight? TextProjection { get; init; }             // text_projection (no bias); null = identity

    /// <summary>A buffer (positions 0 … n−1) that transformers versions before 4.31 saved; positions are implied here.</summary>
    const string PositionIds = "text_model.embeddings.position_ids";

    public static ClipTextWeights Bind(WeightBinder w, ClipTextConfig config, bool projection)
    {
        int d = config.HiddenSize;
        var weights = new ClipTextWeights
        {
            TokenEmbedding = w.Embedding("text_model.embeddings.token_embedding.weight", config.VocabSize, d),
            PositionEmbedding = w.Parameter("text_model.embeddings.position_embedding.weight", config.MaxPositionEmbeddings, d),
            Layers = [.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => ClipLayerWeights.Bind(w, config, $"text_model.encoder.layers.{i}"))],
            FinalLayerNorm = LayerNormWeights.Bind(w, "text_model.final_layer_norm", d),
            TextProjection = projection ? w.Linear("text_projection", bias: false, config.ProjectionDim, d) : null,
        };
        w.Finish(PositionIds);
        return weights;
    }
}

/// <summary>nn.LayerNorm's affine parameters.</summary>
public sealed record LayerNormWeights(Tensor Weight, Tensor Bias)
{
    public static LayerNormWeights Bind(WeightBinder w, string prefix, int width) =>
        new(w.Parameter(prefix + ".weight", width), w.Parameter(prefix + ".bias", width));
}

/// <summary>text_model.encoder.layers.{i}: CLIPEncoderLayer (pre-LN self-attention and MLP).</summary>
public sealed record ClipLayerWeights(
    LayerNormWeights LayerNorm1, LinearWeight QProj, LinearWeight KProj, LinearWeight VProj, LinearWeight OutProj,
    LayerNormWeights LayerNorm2, LinearWeight Fc1, LinearWeight Fc2)
{
    public static ClipLayerWeights Bind(WeightBinder w, ClipTextConfig config, string prefix)
    {
        int d = config.HiddenSize;
        return new(
            LayerNormWeights.Bind(w, prefix + ".layer_norm1", d),
            w.Linear(prefix + ".self_attn.q_proj", bias: true, d, d),
            w.Linear(prefix + ".self_attn.k_proj", bias: true, d, d),
            w.Linear(prefix + ".self_attn.v_proj", bias: true, d, d),
            w.Linear(prefix + ".self_attn.out_proj", bias: true, d, d),
            LayerNormWeights.Bind(w, prefix + ".layer_norm2", d),
            w.Linear(prefix + ".mlp.fc1", bias: true, config.IntermediateSize, d),
            w.Linear(prefix + ".mlp.fc2", bias: true, d, config.IntermediateSize));
    }
}
