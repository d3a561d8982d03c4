namespace RasNative.Runtime.Tensors;

/// <summary>A backend's allocation; only that backend reads or writes its elements.</summary>
public abstract class TensorStorage
{
    protected TensorStorage(long capacity, int elementSize)
    {
        Capacity = capacity;
        ElementSize = elementSize;
    }

    /// <summary>Capacity in elements of the backend's compute dtype.</summary>
    public long Capacity { get; }

    /// <summary>Bytes per element of the backend's compute dtype.</summary>
    public int ElementSize { get; }

    public long Bytes => Capacity * ElementSize;
}
