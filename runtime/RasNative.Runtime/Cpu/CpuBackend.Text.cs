using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>The op the text encoders add (their attention variants live in Attention).</summary>
public sealed partial class CpuBackend
{
    public void Embedding(EmbeddingTable table, IndexList ids, Tensor y)
    {
        var t = table as CpuEmbeddingTable ?? throw new ArgumentException("embedding table does not belong to the CPU backend");
        int width = t.Width;
        if (y.Dim(-1) != width || y.Rows != ids.Count)
            throw new ArgumentException($"embedding [{t.Rows}, {width}] of {ids.Count} ids into {y}");
        var rows = ids.Indices();
        var dst = y.Span();
        for (int r = 0; r < ids.Count; r++) t.ReadRow(rows[r], dst.Slice(r * width, width));
    }
}
