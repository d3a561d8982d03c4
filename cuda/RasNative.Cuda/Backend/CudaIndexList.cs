using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>int32 ids on the device; the first <see cref="IndexList.Count"/> of a buffer of <see cref="IndexList.Capacity"/>.</summary>
public sealed class CudaIndexList(ulong pointer, int count, int capacity) : IndexList(count, capacity)
{
    public ulong Pointer { get; } = pointer;
}
