namespace RasNative.Loaders.SingleFile;

/// <summary>A byte range [Start, Start + Length) of a file tensor's data.</summary>
internal readonly record struct ByteRange(long Start, long Length);

/// <summary>
/// One tensor under the name a model binds, made of byte ranges of one file tensor, in order: a rename is the
/// whole tensor, a third of a fused qkv is one range, AdaLN halves swapped back are two. Never copied: reads
/// decode the ranges straight from the mapped file.
/// </summary>
internal sealed record MappedTensor(string Name, long[] Shape, TensorInfo Source, ByteRange[] Ranges)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public static MappedTensor Rename(string name, TensorInfo source) =>
        new(name, source.Shape, source, [new ByteRange(0, source.ByteLength)]);

    /// <summary>The same bytes under another shape with the same element count (a 1×1 conv as a Linear weight).</summary>
    public static MappedTensor Reshape(string name, TensorInfo source, long[] shape) =>
        new(name, shape, source, [new ByteRange(0, source.ByteLength)]);

    /// <summary>Block <paramref name="index"/> of <paramref name="count"/> equal blocks of rows (dim 0).</summary>
    public static MappedTensor RowBlock(string name, TensorInfo source, int index, int count, string where)
    {
        long rows = RequireRows(source, count, where);
        long block = source.ByteLength / count;
        return new(name, [rows / count, .. source.Shape[1..]], source, [new ByteRange(index * block, block)]);
    }

    /// <summary>The two row halves in swapped order: [a; b] → [b; a].</summary>
    public static MappedTensor SwapHalves(string name, TensorInfo source, string where)
    {
        RequireRows(source, 2, where);
        long half = source.ByteLength / 2;
        return new(name, source.Shape, source, [new ByteRange(half, half), new ByteRange(0, half)]);
    }

    static long RequireRows(TensorInfo source, int count, string where)
    {
        if (source.Shape.Length == 0 || source.Shape[0] % count != 0 || source.Shape[0] == 0)
            throw new ModelFolderException($"{where}: tensor {MessageText.Quote(source.Name)} has shape {source.ShapeText}; its first dimension must split into {count} equal parts");
        return source.Shape[0];
    }
}
