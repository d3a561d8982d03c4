namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// One token segment of a query, key, value or output sequence: row r of batch b starts at
/// Data + b·BatchStride + r·RowStride, and head h at a further h·headDim floats.
/// </summary>
public readonly unsafe struct AttentionSegment(float* data, int rows, long batchStride, int rowStride)
{
    public float* Data { get; } = data;

    public int Rows { get; } = rows;

    public long BatchStride { get; } = batchStride;

    public int RowStride { get; } = rowStride;

    internal float* Row(int batch, int row) => Data + batch * BatchStride + (long)row * RowStride;
}
