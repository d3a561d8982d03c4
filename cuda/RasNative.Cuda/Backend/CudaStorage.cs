using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>Device memory of one <see cref="CudaBackend"/> allocation; freed when the backend is disposed.</summary>
public sealed class CudaStorage(ulong pointer, long capacity, CudaDType dtype) : TensorStorage(capacity, dtype.ElementSize())
{
    public ulong Pointer { get; } = pointer;

    public CudaDType DType { get; } = dtype;
}
