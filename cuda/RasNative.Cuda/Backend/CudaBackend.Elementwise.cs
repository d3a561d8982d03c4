using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public void Silu(Tensor x, Tensor y)
    {
        using var _ = Op("silu");
        OpChecks.Elementwise("silu", x, y);
        Launch("silu", x.Length, Ptr(x), Ptr(y), x.Length);
    }

    public void Add(Tensor a, Tensor b, Tensor y)
    {
        using var _ = Op("add");
        OpChecks.Elementwise("add", a, b, y);
        Launch("add", y.Length, Ptr(a), Ptr(b), Ptr(y), y.Length);
    }

    public void Copy(Tensor source, Tensor destination)
    {
        using var _ = Op("copy");
        OpChecks.Elementwise("copy", source, destination);
        if (source.Length == 0) return;
        calls.CopyDeviceToDevice(Ptr(destination), Ptr(source), (nuint)(source.Length * ElementSize));
    }

    public void Fill(Tensor tensor, float value)
    {
        using var _ = Op("fill");
        Launch("fill", tensor.Length, Ptr(tensor), value, tensor.Length);
    }

    public void LayerNormModulate(Tensor x, Modulation scale, Modulation? shift, Tensor y, float eps)
    {
        using var _ = Op("layernorm_modulate");
        int dim = x.Dim(-1), batch = scale.Embedding.Dim(0);
        OpChecks.LayerNormModulate(x, scale, shift, y);
        var (scalePtr, scaleStride) = Chunk(scale, dim, batch);
        var (shiftPtr, shiftStride) = shift is { } s ? Chunk(s, dim, batch) : (0UL, 0);
        LaunchRows("layernorm_modulate", x.Rows, Ptr(x), Ptr(y), scalePtr, shiftPtr, (long)x.Rows, dim, x.Rows / batch, scaleStride, shiftStride, eps);
    }

    public void GatedResidual(Tensor x, Tensor y, Modulation gate)
    {
        using var _ = Op("gated_residual");
        int dim = x.Dim(-1), batch = gate.Embedding.Dim(0);
        OpChecks.GatedResidual(x, y, gate);
        var (gatePtr, gateStride) = Chunk(gate, dim, batch);
        LaunchRows("gated_residual", x.Rows, Ptr(x), Ptr(y), gatePtr, (long)x.Rows, dim, x.Rows / batch, gateStride);
    }

    /// <summary>One launch, block per row: the residual update, then the norm of the updated row (kernels/norm.cu).</summary>
    public void GatedResidualLayerNormModulate(Tensor x, Tensor y, Modulation gate, Modulation scale, Modulation? shift, Tensor normalized, float eps)
    {
        using var _ = Op("gated_residual_layernorm_modulate");
        OpChecks.GatedResidualLayerNormModulate(x, y, gate, scale, shift, normalized);
        int dim = x.Dim(-1), batch = gate.Embedding.Dim(0);
        Require(x.Rows % batch == 0 && scale.Embedding.Dim(0) == batch, $"gated_residual_layernorm_modulate {x} with {batch} modulation rows");
        var (gatePtr, gateStride) = Chunk(gate, dim, batch);
        var (scalePtr, scaleStride) = Chunk(scale, dim, batch);
        var (shiftPtr, shiftStride) = shift is { } s ? Chunk(s, dim, batch) : (0UL, 0);
        LaunchRows("gated_residual_layernorm_modulate", x.Rows, Ptr(x), Ptr(y), gatePtr, Ptr(normalized), scalePtr, shiftPtr,
            (long)x.Rows, dim, x.Rows / batch, gateStride, scaleStride, shiftStride, eps);
    }

    public void RmsNormHeads(Tensor x, Tensor weight, int headDim, float eps)
    {
        using var _ = Op("rmsnorm_heads");
        OpChecks.RmsNormHeads(x, weight, headDim);
        long heads = x.Length / headDim;
        // Warp per head: BlockSize / 32 heads per block.
        Launch("rmsnorm_heads", heads * 32, Ptr(x), Ptr(weight), heads, headDim, eps);
    }

    /// <summary>Address of batch row 0's chunk and the embedding's row width (batch b is b·width further).</summary>
    (ulong Pointer, int Stride) Chunk(Modulation modulation, int dim, int batch)
    {
        var embedding = modulation.Embedding;
        int width = embedding.Dim(-1);
        Require(embedding.Dim(0) == batch && embedding.Length == (long)batch * width && (modulation.Chunk + 1) * dim <= width,
            $"modulation chunk {modulation.Chunk} of {embedding} for width {dim}");
        return (Ptr(embedding) + (ulong)((long)modulation.Chunk * dim * ElementSize), width);
    }
}
