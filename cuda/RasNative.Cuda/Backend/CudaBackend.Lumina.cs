using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>The ops Lumina-Next adds (CpuBackend.Lumina.cs is their reference).</summary>
public sealed partial class CudaBackend
{
    public void RmsNormModulate(Tensor x, Tensor weight, Modulation? scale, Tensor y, float eps)
    {
        using var _ = Op("rmsnorm_modulate");
        int dim = x.Dim(-1);
        Require(x.Length == y.Length && weight.Length == dim, $"rmsnorm_modulate {x} with weight {weight} → {y}");
        var (scalePtr, scaleStride, tokens) = (0UL, 0, 1);
        if (scale is { } s)
        {
            int batch = s.Embedding.Dim(0);
            Require(x.Rows % batch == 0, $"rmsnorm_modulate {x} with {batch} modulation rows");
            (scalePtr, scaleStride) = Chunk(s, dim, batch);
            tokens = x.Rows / batch;
        }
        LaunchRows("rmsnorm_modulate", x.Rows, Ptr(x), Ptr(weight), scalePtr, Ptr(y), (long)x.Rows, dim, tokens, scaleStride, eps);
    }

    public void LayerNorm(Tensor x, Tensor weight, Tensor bias, Tensor y, float eps)
    {
        using var _ = Op("layernorm");
        int dim = x.Dim(-1);
        Require(x.Length == y.Length && weight.Length == dim && bias.Length == dim, $"layernorm {x} with weight {weight}, bias {bias} → {y}");
        LaunchRows("layernorm_affine", x.Rows, Ptr(x), Ptr(weight), Ptr(bias), Ptr(y), (long)x.Rows, dim, eps);
    }

    public void ApplyRope(Tensor x, Tensor table, int headDim)
    {
        using var _ = Op("apply_rope");
        int width = x.Dim(-1), tokens = x.Dim(-2);
        Require(headDim > 0 && headDim % 2 == 0 && width % headDim == 0 && table.Length == (long)tokens * headDim,
            $"apply_rope {x} with head dim {headDim} and table {table}");
        Launch("apply_rope", x.Length / 2, Ptr(x), Ptr(table), x.Length / 2, width, tokens, headDim);
    }

    public void Multiply(Tensor a, Tensor b, Tensor y)
    {
        using var _ = Op("multiply");
        Require(a.Length == b.Length && a.Length == y.Length, $"multiply {a} ⊙ {b} → {y}");
        Launch("multiply", y.Length, Ptr(a), Ptr(b), Ptr(y), y.Length);
    }

    public void Tanh(Tensor x, Tensor y)
    {
        using var _ = Op("tanh");
        Require(x.Length == y.Length, $"tanh {x} → {y}");
        Launch("tanh_elementwise", x.Length, Ptr(x), Ptr(y), x.Length);
    }

    public void AddTanhGatedHeads(Tensor x, Tensor y, Tensor gate, int headDim)
    {
        using var _ = Op("add_tanh_gated_heads");
        int width = x.Dim(-1);
        Require(x.Length == y.Length && headDim > 0 && width == gate.Length * headDim, $"add_tanh_gated_heads {x} += {y} with gate {gate}, head dim {headDim}");
        LaunchRows("add_tanh_gated_heads", x.Rows, Ptr(x), Ptr(y), Ptr(gate), (long)x.Rows, width, headDim);
    }

    public void MaskedMeanRows(Tensor x, Tensor mask, Tensor y)
    {
        using var _ = Op("masked_mean_rows");
        Require(x.Rank == 3, $"masked_mean_rows {x} is not [B, L, D]");
        int batch = x.Dim(0), tokens = x.Dim(1), dim = x.Dim(2);
        Require(mask.Length == (long)batch * tokens && y.Length == (long)batch * dim, $"masked_mean_rows {x} with mask {mask} → {y}");
        Launch("masked_mean_rows", y.Length, Ptr(x), Ptr(mask), Ptr(y), batch, tokens, dim);
    }
}
