namespace RasNative.Loaders;

/// <summary>One header entry; DataStart/DataEnd are byte offsets relative to the start of the data section.</summary>
public sealed record TensorInfo(string Name, DType DType, long[] Shape, long DataStart, long DataEnd)
{
    /// <summary>Product of the shape (1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Shape) count *= dim;
            return count;
        }
    }

    public long ByteLength => DataEnd - DataStart;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
