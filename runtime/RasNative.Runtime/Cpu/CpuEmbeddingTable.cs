using System.Runtime.InteropServices;
using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>
/// An embedding table in native memory in its stored format (F32, F16, BF16 or fp8 with its per-tensor scale); rows are
/// widened with <see cref="FloatFormats.Widen"/> as they are looked up. Owned and freed by the CPU backend, like
/// <see cref="Kernels.PackedLinearWeight"/> (no finalizer, for the same reason).
/// </summary>
public sealed unsafe class CpuEmbeddingTable : EmbeddingTable, IDisposable
{
    nint memory;

    CpuEmbeddingTable(int rows, int width, DType storage, float scale)
        : base(rows, width, storage, BytesFor(storage, rows, width))
    {
        Scale = scale;
        memory = (nint)NativeMemory.Alloc((nuint)Math.Max(1, Bytes));
    }

    public float Scale { get; }

    public static long BytesFor(DType storage, int rows, int width) => (long)rows * width * storage.ElementSize();

    public static CpuEmbeddingTable Create(StoredTensor table, int rows, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (!table.Format.IsWeightFormat())
            throw new ArgumentException($"embedding table is {table.Format}; tables are stored as F32, F16, BF16, F8_E4M3 or F8_E5M2", nameof(table));
        if (table.ElementCount != (long)rows * width)
            throw new ArgumentException($"embedding table {table.ShapeText} for [{rows}, {width}]", nameof(table));
        var created = new CpuEmbeddingTable(rows, width, table.Format, table.Scale);
        table.Bytes.CopyTo(new Span<byte>((void*)created.memory, table.Bytes.Length));
        return created;
    }

    /// <summary>destination = row <paramref name="row"/>, widened.</summary>
    public void ReadRow(int row, Span<float> destination)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), $"token id {row} outside [0, {Rows})");
        if (memory == 0) throw new ObjectDisposedException(nameof(CpuEmbeddingTable));
        int rowBytes = Width * Storage.ElementSize();
        FloatFormats.Widen(Storage, new ReadOnlySpan<byte>((byte*)memory + (long)row * rowBytes, rowBytes), Scale, destination);
    }

    public void Dispose()
    {
        nint block = Interlocked.Exchange(ref memory, 0);
        if (block != 0) NativeMemory.Free((void*)block);
    }
}
