namespace RasNative.Runtime.Tensors;

/// <summary>
/// An allocator that hands out tensors backed by no memory and adds up their sizes, so the same arena code that
/// allocates a forward's buffers also states, before anything is loaded, how much memory they will take.
/// </summary>
public sealed class MemoryPlan : ITensorAllocator
{
    /// <summary>Elements asked for so far.</summary>
    public long Elements { get; private set; }

    public Tensor Allocate(params int[] shape)
    {
        long length = Tensor.ShapeLength(shape);
        Elements = checked(Elements + length);
        return new Tensor(new PlannedStorage(length), 0, shape);
    }

    // Sizes are counted in elements; the caller knows its backend's element size.
    sealed class PlannedStorage(long capacity) : TensorStorage(capacity, elementSize: 0);
}
