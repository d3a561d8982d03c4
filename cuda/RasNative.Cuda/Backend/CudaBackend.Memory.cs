using System.Runtime.InteropServices;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public Tensor Allocate(params int[] shape)
    {
        using var _ = Op("allocate");
        long length = Tensor.ShapeLength(shape);
        var pointer = AllocateZeroed(length * ElementSize);
        return new Tensor(new CudaStorage(pointer, length, DType), 0, shape);
    }

    public Tensor Upload(ReadOnlySpan<float> data, params int[] shape)
    {
        using var _ = Op("upload");
        Require(Tensor.ShapeLength(shape) == data.Length, $"{data.Length} values for shape [{string.Join(",", shape)}]");
        var pointer = UploadBytes(HostConversions.ToDevice(data, DType));
        return new Tensor(new CudaStorage(pointer, data.Length, DType), 0, shape);
    }

    /// <summary>
    /// One synchronisation: a copy into pageable memory returns only once it has completed, after the stream's earlier
    /// work (CUDA's documented behaviour for device → pageable host transfers).
    /// </summary>
    public unsafe void Download(Tensor source, Span<float> destination)
    {
        using var _ = Op("download");
        OpChecks.HostCopy("download", destination.Length, source);
        var bytes = new byte[source.Length * ElementSize];
        fixed (byte* p = bytes) calls.CopyDeviceToHost(p, Ptr(source), (nuint)bytes.Length);
        HostConversions.FromDevice(bytes, DType, destination);
    }

    /// <summary>Pageable host → device copy, stream-ordered after earlier ops; the driver stages the bytes before returning.</summary>
    public unsafe void Write(ReadOnlySpan<float> source, Tensor destination)
    {
        using var _ = Op("write");
        OpChecks.HostCopy("write", source.Length, destination);
        if (source.IsEmpty) return;
        var bytes = HostConversions.ToDevice(source, DType);
        fixed (byte* p = bytes) calls.CopyHostToDevice(Ptr(destination), p, (nuint)bytes.Length);
    }

    public IndexList UploadIndices(ReadOnlySpan<int> indices)
    {
        using var _ = Op("upload_indices");
        return new CudaIndexList(UploadBytes(MemoryMarshal.AsBytes(indices)), indices.ToArray(), indices.Length);
    }

    public IndexList AllocateIndices(int capacity)
    {
        using var _ = Op("allocate_indices");
        return new CudaIndexList(AllocateZeroed((long)capacity * sizeof(int)), new int[capacity], 0);
    }

    /// <summary>
    /// Stream-ordered: kernels queued before still read the previous ids, those after read the new ones; the host copy
    /// the ops check is updated at the same point of the op order.
    /// </summary>
    public unsafe IndexList WriteIndices(ReadOnlySpan<int> indices, IndexList buffer)
    {
        using var _ = Op("write_indices");
        var target = buffer as CudaIndexList ?? throw new ArgumentException("index buffer does not belong to the CUDA backend");
        OpChecks.IndexWrite(indices.Length, target);
        if (!indices.IsEmpty)
            fixed (int* p = indices) calls.CopyHostToDevice(target.Pointer, p, (nuint)(indices.Length * sizeof(int)));
        indices.CopyTo(target.HostIds);
        return new CudaIndexList(target.Pointer, target.HostIds, indices.Length);
    }

    /// <summary>Long-lived memory, zeroed on the stream; rounded up to whole 32-bit words for cuMemsetD32.</summary>
    ulong AllocateZeroed(long bytes)
    {
        long words = Math.Max(1, (bytes + 3) / 4);
        var pointer = calls.Allocate(words * 4);
        allocations.Add(pointer);
        calls.Memset32(pointer, 0, (nuint)words);
        return pointer;
    }

    /// <summary>Pageable host → device: the driver stages the bytes before returning, so the span may go away.</summary>
    unsafe ulong UploadBytes(ReadOnlySpan<byte> bytes)
    {
        var pointer = AllocateZeroed(bytes.Length);
        if (bytes.IsEmpty) return pointer;
        fixed (byte* p = bytes) calls.CopyHostToDevice(pointer, p, (nuint)bytes.Length);
        return pointer;
    }
}
