using RasNative.Loaders;

namespace RasNative.Runtime.Tensors;

/// <summary>
/// An nn.Linear's weight [out, in] and optional bias [out], laid out once at load time in whatever form the
/// backend's GEMM wants (packed panels on the CPU, device memory on CUDA), in the width the checkpoint stored it
/// (or the backend's compute dtype where that is narrower); the kernels widen it as they use it.
/// </summary>
public abstract class LinearWeight
{
    protected LinearWeight(int outFeatures, int inFeatures, bool hasBias, DType storage, long bytes)
    {
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        HasBias = hasBias;
        Storage = storage;
        Bytes = bytes;
    }

    public int OutFeatures { get; }

    public int InFeatures { get; }

    public bool HasBias { get; }

    /// <summary>The format the matrix is held in (F32, F16, BF16, F8_E4M3 or F8_E5M2).</summary>
    public DType Storage { get; }

    /// <summary>Memory this weight holds on its backend (matrix with padding, and bias).</summary>
    public long Bytes { get; }
}
