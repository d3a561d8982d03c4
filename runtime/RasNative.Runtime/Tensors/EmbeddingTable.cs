using RasNative.Loaders;

namespace RasNative.Runtime.Tensors;

/// <summary>
/// An nn.Embedding's weight [rows, width] on a backend (token embeddings of the text encoders), held like a
/// <see cref="LinearWeight"/> in the width the checkpoint stored it wherever that is narrower than the backend's
/// compute dtype; a lookup widens exactly the rows it reads, so a 16-bit T5-XXL table (32128 × 4096) stays 16-bit.
/// </summary>
public abstract class EmbeddingTable
{
    protected EmbeddingTable(int rows, int width, DType storage, long bytes)
    {
        Rows = rows;
        Width = width;
        Storage = storage;
        Bytes = bytes;
    }

    public int Rows { get; }

    public int Width { get; }

    /// <summary>The format the table is held in (F32, F16, BF16, F8_E4M3 or F8_E5M2).</summary>
    public DType Storage { get; }

    /// <summary>Memory the table holds on its backend.</summary>
    public long Bytes { get; }
}
