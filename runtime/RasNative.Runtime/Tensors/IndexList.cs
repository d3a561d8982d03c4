namespace RasNative.Runtime.Tensors;

/// <summary>
/// A list of row/patch ids living on a backend (the only non-scalar data the host sends per step). A list
/// from <see cref="Backends.IBackend.AllocateIndices"/> is a planned buffer of <see cref="Capacity"/> ids that
/// each step refills; <see cref="Count"/> is how many the current contents hold.
/// Every backend also keeps the ids on the host, in one array per buffer that each write updates in the order the
/// ops are issued, so <see cref="Backends.OpChecks"/> checks every id an op will read against that op's bounds before
/// anything is launched, on every backend alike (a device kernel never sees an id outside its tensors).
/// </summary>
public abstract class IndexList
{
    readonly int[] hostIds;

    /// <param name="hostIds">The buffer's ids as the host last wrote them (shared by every list over the same buffer).</param>
    protected IndexList(int[] hostIds, int count)
    {
        if (count < 0 || count > hostIds.Length) throw new ArgumentOutOfRangeException(nameof(count), $"{count} ids in a buffer of {hostIds.Length}");
        this.hostIds = hostIds;
        Count = count;
    }

    public int Count { get; }

    public int Capacity => hostIds.Length;

    /// <summary>The ids an op on this list reads, as the host wrote them.</summary>
    public ReadOnlySpan<int> Ids => hostIds.AsSpan(0, Count);

    /// <summary>The ids, after checking every one lies in [0, <paramref name="bound"/>).</summary>
    public ReadOnlySpan<int> IdsBelow(int bound, string op, string what)
    {
        var ids = Ids;
        foreach (int id in ids)
            if ((uint)id >= (uint)bound) throw new ArgumentException($"{op}: {what} {id} outside [0, {bound})");
        return ids;
    }
}
