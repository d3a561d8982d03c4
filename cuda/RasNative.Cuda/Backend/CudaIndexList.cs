using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>
/// int32 ids on the device; the first <see cref="IndexList.Count"/> of a buffer of <see cref="IndexList.Capacity"/>,
/// mirrored in <paramref name="hostIds"/> for the ops' checks.
/// </summary>
public sealed class CudaIndexList(ulong pointer, int[] hostIds, int count) : IndexList(hostIds, count)
{
    public ulong Pointer { get; } = pointer;

    internal int[] HostIds { get; } = hostIds;
}
