using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>The ops Lumina-Next adds (CpuBackend.Lumina.cs is their reference).</summary>
public sealed partial class CudaBackend
{
    public void RmsNormModulate(Tensor x, Tensor weight, Modulation? scale, Tensor y, float eps)
    {
        using var _ = Op("rmsnorm_modulate");
        OpChecks.RmsNormModulate(x, weight, scale, y);
        int dim = x.Dim(-1);
        var (scalePtr, scaleStride, tokens) = (0UL, 0, 1);
        if (scale is { } s)
        {
            int batch = s.Embedding.Dim(0);
            (scalePtr, scaleStride) = Chunk(s, dim, batch);
            tokens = x.Rows / batch;
        }
        LaunchRows("rmsnorm_modulate", x.Rows, Ptr(x), Ptr(weight), scalePtr, Ptr(y), (long)x.Rows, dim, tokens, scaleStride, eps);
    }

    public void LayerNorm(Tensor x, Tensor weight, Tensor bias, Tensor y, float eps)
    {
        using var _ = Op("layernorm");
        OpChecks.LayerNorm(x, weight, bias, y);
        int dim = x.Dim(-1);
        LaunchRows("layernorm_affine", x.Rows, Ptr(x), Ptr(weight), Ptr(bias), Ptr(y), (long)x.Rows, dim, eps);
    }

    public void ApplyRope(Tensor x, Tensor table, int headDim)
    {
        using var _ = Op("apply_rope");
        OpChecks.ApplyRope(x, table, headDim);
        int width = x.Dim(-1), tokens = x.Dim(-2);
        Launch("apply_rope", x.Length / 2, Ptr(x), Ptr(table), x.Length / 2, width, tokens, headDim);
    }

    public void Multiply(Tensor a, Tensor b, Tensor y)
    {
        using var _ = Op("multiply");
        OpChecks.Elementwise("multiply", a, b, y);
        Launch("multiply", y.Length, Ptr(a), Ptr(b), Ptr(y), y.Length);
    }

    public void Tanh(Tensor x, Tensor y)
    {
        using var _ = Op("tanh");
        OpChecks.Elementwise("tanh", x, y);
        Launch("tanh_elementwise", x.Length, Ptr(x), Ptr(y), x.Length);
    }

    public void AddTanhGatedHeads(Tensor x, Tensor y, Tensor gate, int headDim)
    {
        using var _ = Op("add_tanh_gated_heads");
        OpChecks.AddTanhGatedHeads(x, y, gate, headDim);
        int width = x.Dim(-1);
        LaunchRows("add_tanh_gated_heads", x.Rows, Ptr(x), Ptr(y), Ptr(gate), (long)x.Rows, width, headDim);
    }

    public void MaskedMeanRows(Tensor x, Tensor mask, Tensor y)
    {
        using var _ = Op("masked_mean_rows");
        OpChecks.MaskedMeanRows(x, mask, y);
        int batch = x.Dim(0), tokens = x.Dim(1), dim = x.Dim(2);
        Launch("masked_mean_rows", y.Length, Ptr(x), Ptr(mask), Ptr(y), batch, tokens, dim);
    }
}
