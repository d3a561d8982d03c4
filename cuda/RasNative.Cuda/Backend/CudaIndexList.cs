using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed class CudaIndexList(ulong pointer, int count) : IndexList(count)
{
    /// <summary>int32 indices on the device.</summary>
    public ulong Pointer { get; } = pointer;
}
