using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void Silu(Tensor x, Tensor y)
    {
        OpChecks.Elementwise("silu", x, y);
        var src = x.Span();
        var dst = y.Span();
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] / (1f + MathF.Exp(-src[i]));
    }

    public void Add(Tensor a, Tensor b, Tensor y)
    {
        OpChecks.Elementwise("add", a, b, y);
        TensorPrimitives.Add(a.Span(), b.Span(), y.Span());
    }

    public void Copy(Tensor source, Tensor destination)
    {
        OpChecks.Elementwise("copy", source, destination);
        source.Span().CopyTo(destination.Span());
    }

    public void Fill(Tensor tensor, float value) => tensor.Span().Fill(value);

    public void GatedResidual(Tensor x, Tensor y, Modulation gate)
    {
        OpChecks.GatedResidual(x, y, gate);
        int width = x.Dim(2), tokens = x.Dim(1);
        CpuParallel.ForRows(x.Rows, width, new GatedResidualRows(x, y, gate, width, tokens));
    }

    readonly struct GatedResidualRows(Tensor x, Tensor y, Modulation gate, int width, int tokens) : IRowJob
    {
        public void Run(int start, int end)
        {
            var xs = x.Span();
            var ys = y.Span();
            var g = gate.Embedding.Span();
            for (int r = start; r < end; r++)
            {
                var row = xs.Slice(r * width, width);
                TensorPrimitives.FusedMultiplyAdd(ys.Slice(r * width, width), ChunkRow(g, gate.Embedding, gate.Chunk, r / tokens, width), row, row);
            }
        }
    }

    /// <summary>Chunk <paramref name="chunk"/> (width values) of batch row <paramref name="batch"/> of an embedding [B, k·width].</summary>
    static ReadOnlySpan<float> ChunkRow(ReadOnlySpan<float> embedding, Tensor embeddingTensor, int chunk, int batch, int width) =>
        embedding.Slice(batch * embeddingTensor.Dim(-1) + chunk * width, width);
}
