namespace RasNative.Runtime.Tensors;

/// <summary>Where activation arenas get their buffers: a backend, or <see cref="MemoryPlan"/> to size them without memory.</summary>
public interface ITensorAllocator
{
    /// <summary>A zero-filled tensor in the backend's compute dtype.</summary>
    Tensor Allocate(params int[] shape);
}
