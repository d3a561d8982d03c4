using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed class CpuIndexList(int[] indices) : IndexList(indices.Length)
{
    public int[] Indices { get; } = indices;
}
