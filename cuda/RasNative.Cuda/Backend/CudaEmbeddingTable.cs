using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>
/// An embedding table on the device in <see cref="EmbeddingTable.Storage"/>: the stored format where it is narrower
/// than the compute dtype (widened per looked-up row by the embedding_rows kernel), else the compute dtype.
/// </summary>
public sealed class CudaEmbeddingTable(ulong table, int rows, int width, DType storage, float scale, long bytes)
    : EmbeddingTable(rows, width, storage, bytes)
{
    /// <summary>[rows, width] row-major in <see cref="EmbeddingTable.Storage"/>.</summary>
    public ulong Table { get; } = table;

    /// <summary>The fp8 per-tensor scale each decoded value is multiplied by (1 otherwise).</summary>
    public float Scale { get; } = scale;
}
