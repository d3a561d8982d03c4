using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>Ids in a host array; the first <see cref="IndexList.Count"/> entries are the list.</summary>
public sealed class CpuIndexList(int[] storage, int count) : IndexList(storage, count)
{
    public int[] Indices { get; } = storage;
}
