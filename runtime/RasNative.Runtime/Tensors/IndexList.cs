namespace RasNative.Runtime.Tensors;

/// <summary>A list of row/patch ids living on a backend (the only non-scalar data the host sends per step).</summary>
public abstract class IndexList
{
    protected IndexList(int count) => Count = count;

    public int Count { get; }
}
