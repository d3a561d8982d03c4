using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>CPU tensor memory: a pinned float32 array, so kernels may take stable pointers into it.</summary>
public sealed class CpuStorage : TensorStorage
{
    public CpuStorage(long capacity)
        : base(capacity, sizeof(float)) => Data = GC.AllocateArray<float>(checked((int)capacity), pinned: true);

    public float[] Data { get; }
}
