namespace RasNative.Runtime.Tensors;

/// <summary>A backend's allocation; only that backend reads or writes its elements.</summary>
public abstract class TensorStorage
{
    protected TensorStorage(long capacity) => Capacity = capacity;

    /// <summary>Capacity in elements of the backend's compute dtype.</summary>
    public long Capacity { get; }
}
