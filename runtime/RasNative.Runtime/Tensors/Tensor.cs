namespace RasNative.Runtime.Tensors;

/// <summary>
/// A dense, row-major view into backend-owned memory. Model and sampler code never touch elements:
/// they pass tensors to <see cref="Backends.IBackend"/> ops. A view over fewer rows of the same storage
/// is how a forward over fewer tokens reuses the activation arena planned at load time.
/// </summary>
public sealed class Tensor
{
    public Tensor(TensorStorage storage, long offset, int[] shape)
    {
        long length = ShapeLength(shape);
        if (offset < 0 || offset + length > storage.Capacity)
            throw new ArgumentException($"view [{string.Join(",", shape)}] at {offset} exceeds storage of {storage.Capacity} elements");
        Storage = storage;
        Offset = offset;
        Shape = shape;
        Length = length;
    }

    public TensorStorage Storage { get; }

    /// <summary>Offset of the first element in <see cref="Storage"/>, in elements.</summary>
    public long Offset { get; }

    public int[] Shape { get; }

    public long Length { get; }

    public int Rank => Shape.Length;

    /// <summary>Size of dimension <paramref name="axis"/>; negative counts from the end.</summary>
    public int Dim(int axis) => Shape[axis < 0 ? Shape.Length + axis : axis];

    /// <summary>Product of all dimensions but the last: the number of rows of a [rows, width] view.</summary>
    public int Rows => checked((int)(Length / Math.Max(1, Dim(-1))));

    /// <summary>The same storage from the same offset, under a new shape of at most the remaining capacity.</summary>
    public Tensor View(params int[] shape) => new(Storage, Offset, shape);

    /// <summary>A view starting <paramref name="elementOffset"/> elements after this one's start.</summary>
    public Tensor Slice(long elementOffset, params int[] shape) => new(Storage, Offset + elementOffset, shape);

    public override string ToString() => $"Tensor[{string.Join(",", Shape)}]";

    public static long ShapeLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException("negative dimension");
            n *= d;
        }
        return n;
    }
}
