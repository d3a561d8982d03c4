namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// A (batched) matrix in device memory as a BLAS library sees it: storage order, leading dimension and batch
/// stride, with the exact host values of every element of its buffer. The padding between columns (ld &gt; rows)
/// and between batches holds random values too, so an output's padding can be checked untouched.
/// </summary>
public sealed class DeviceMatrix : IDisposable
{
    readonly BlasHost host;
    readonly bool owner;

    DeviceMatrix(BlasHost host, DataType type, long rows, long cols, long ld, bool rowMajor, int batch, long batchStride, double[] values,
        ulong? view = null)
    {
        this.host = host;
        owner = view == null;
        Type = type;
        Rows = rows;
        Cols = cols;
        Ld = ld;
        RowMajor = rowMajor;
        Batch = batch;
        BatchStride = batchStride;
        Values = values;
        if (view is { } address)
        {
            Address = address;
            return;
        }
        var bytes = new byte[values.Length * BlasFormats.Size(type)];
        for (int i = 0; i < values.Length; i++) BlasFormats.Encode(type, bytes, i, values[i]);
        Address = host.Upload(bytes);
    }

    public DataType Type { get; }
    public long Rows { get; }
    public long Cols { get; }
    public long Ld { get; }
    public bool RowMajor { get; }
    public int Batch { get; }
    public long BatchStride { get; }
    public ulong Address { get; }

    /// <summary>The values uploaded, one per element of the buffer (padding included).</summary>
    public double[] Values { get; }

    /// <summary>
    /// Random values in [−amplitude, amplitude) rounded to <paramref name="type"/>. ld defaults to the inner
    /// extent; the batch stride to the whole matrix plus <paramref name="batchGap"/> elements. <paramref name="fill"/>
    /// replaces the random values (NaN, to show an operand is not read).
    /// </summary>
    public static DeviceMatrix Random(BlasHost host, Random random, DataType type, long rows, long cols, long? ld = null,
        bool rowMajor = false, int batch = 1, long? batchStride = null, long batchGap = 3, double? fill = null, double amplitude = 1)
    {
        long lead = ld ?? (rowMajor ? cols : rows);
        long stride = batchStride ?? lead * (rowMajor ? rows : cols) + batchGap;
        long span = (rowMajor ? (rows - 1) * lead + cols : (cols - 1) * lead + rows);
        long length = Math.Max(1, (batch - 1) * stride + Math.Max(span, 0));
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = fill ?? BlasFormats.Quantize(type, (random.NextDouble() * 2 - 1) * amplitude);
        return new DeviceMatrix(host, type, rows, cols, lead, rowMajor, batch, stride, values);
    }

    /// <summary>A vector of <paramref name="length"/> values (a bias) or a single scalar (a scale).</summary>
    public static DeviceMatrix Vector(BlasHost host, DataType type, double[] values) =>
        new(host, type, values.Length, 1, values.Length, false, 1, values.Length, values.Select(v => BlasFormats.Quantize(type, v)).ToArray());

    /// <summary>The same device memory read as <paramref name="batch"/> batches <paramref name="stride"/> elements apart
    /// (stride 0: every batch is this matrix), for the reference; it does not own the memory.</summary>
    public DeviceMatrix AsBatches(int batch, long stride) => new(host, Type, Rows, Cols, Ld, RowMajor, batch, stride, Values, Address);

    public long Offset(int batch, long row, long col) => batch * BatchStride + (RowMajor ? row * Ld + col : row + col * Ld);

    public double this[int batch, long row, long col] => Values[Offset(batch, row, col)];

    /// <summary>True for the elements of the matrix proper (not the padding between columns or batches).</summary>
    public bool IsElement(long offset)
    {
        long inBatch = BatchStride == 0 ? offset : offset % BatchStride;
        if (BatchStride != 0 && offset / BatchStride >= Batch) return false;
        long outer = inBatch / Ld, inner = inBatch % Ld;
        return RowMajor ? outer < Rows && inner < Cols : outer < Cols && inner < Rows;
    }

    /// <summary>Every element of the buffer as the device holds it now (after synchronising).</summary>
    public double[] Download()
    {
        var bytes = host.Read(Address, Values.Length * BlasFormats.Size(Type));
        var result = new double[Values.Length];
        for (int i = 0; i < result.Length; i++) result[i] = BlasFormats.Decode(Type, bytes, i);
        return result;
    }

    public void Dispose()
    {
        if (owner) host.Free(Address);
    }
}
