using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>linear_1 → SiLU → linear_2 (TimestepEmbedding, PixArtAlphaTextProjection).</summary>
public sealed record MlpWeights(LinearWeight Linear1, LinearWeight Linear2)
{
    public static MlpWeights Bind(WeightBinder w, string prefix, int inFeatures, int width) =>
        new(w.Linear(prefix + ".linear_1", bias: true, width, inFeatures), w.Linear(prefix + ".linear_2", bias: true, width, width));

    /// <summary>y = linear_2(silu(linear_1(x))), the SiLU fused into the first GEMM, through <paramref name="hidden"/> (x's rows × width).</summary>
    public void Apply(IBackend backend, Tensor x, Tensor hidden, Tensor y)
    {
        backend.Linear(x, Linear1, hidden, Activation.Silu);
        backend.Linear(hidden, Linear2, y);
    }
}
