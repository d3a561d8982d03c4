using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>linear_1 → SiLU → linear_2 (TimestepEmbedding, PixArtAlphaTextProjection).</summary>
public sealed record MlpWeights(LinearWeight Linear1, LinearWeight Linear2)
{
    public static MlpWeights Bind(WeightBinder w, string prefix, int inFeatures, int width) =>
        new(w.Linear(prefix + ".linear_1", bias: true, width, inFeatures), w.Linear(prefix + ".linear_2", bias: true, width, width));
}
