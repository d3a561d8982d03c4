using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>Embedding tables (CpuBackend.Text.cs is the reference): kept in their stored width like Linear weights.</summary>
public sealed partial class CudaBackend
{
    public EmbeddingTable UploadEmbedding(StoredTensor table, int rows, int width)
    {
        using var _ = Op("upload_embedding");
        Require(table.Format.IsWeightFormat(), $"embedding table is {table.Format}; tables are stored as F32, F16, BF16, F8_E4M3 or F8_E5M2");
        Require(rows > 0 && width > 0 && table.ElementCount == (long)rows * width, $"embedding table {table.ShapeText} for [{rows}, {width}]");
        var held = HeldFormat(table.Format);
        ulong pointer = held == table.Format
            ? UploadBytes(table.Bytes)
            : UploadBytes(HostConversions.ToDevice(table.ToFloat32(), DType));
        return new CudaEmbeddingTable(pointer, rows, width, held, held == table.Format ? table.Scale : 1f, EmbeddingBytes(table.Format, rows, width));
    }

    public long EmbeddingBytes(DType storage, int rows, int width) => WholeWords((long)rows * width * HeldFormat(storage).ElementSize());

    public void Embedding(EmbeddingTable table, IndexList ids, Tensor y)
    {
        using var _ = Op("embedding");
        var t = table as CudaEmbeddingTable ?? throw new ArgumentException("embedding table was not uploaded by a CUDA backend");
        Require(y.Dim(-1) == t.Width && y.Rows == ids.Count, $"embedding [{t.Rows}, {t.Width}] of {ids.Count} ids into {y}");
        int format = t.Storage == DType.ToDType() ? -1 : WidenFormat(t.Storage);
        Launch("embedding_rows", y.Length, t.Table, Ptr(y), Ptr(ids), y.Length, t.Width, t.Rows, format, t.Scale);
    }
}
