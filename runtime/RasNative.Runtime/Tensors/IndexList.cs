namespace RasNative.Runtime.Tensors;

/// <summary>
/// A list of row/patch ids living on a backend (the only non-scalar data the host sends per step). A list
/// from <see cref="Backends.IBackend.AllocateIndices"/> is a planned buffer of <see cref="Capacity"/> ids that
/// each step refills; <see cref="Count"/> is how many the current contents hold.
/// </summary>
public abstract class IndexList
{
    protected IndexList(int count, int capacity)
    {
        if (count < 0 || count > capacity) throw new ArgumentOutOfRangeException(nameof(count), $"{count} ids in a buffer of {capacity}");
        Count = count;
        Capacity = capacity;
    }

    public int Count { get; }

    public int Capacity { get; }
}
