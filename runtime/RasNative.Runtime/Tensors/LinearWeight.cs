using RasNative.Loaders;

namespace RasNative.Runtime.Tensors;

/// <summary>
/// An nn.Linear's weight [out, in] and optional bias [out], laid out once at load time in whatever form the
/// backend's GEMM wants (packed panels on the CPU, device memory on CUDA), in the width the checkpoint stored it
/// (or the backend's compute dtype where that is narrower); the kernels widen it as they use it.
/// </summary>
public abstract class LinearWeight
{
    protected LinearWeight(int outFeatures, int inFeatures, bool hasBias, DType storage, long bytes, int parts = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        Parts = parts;
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        HasBias = hasBias;
        Storage = storage;
        Bytes = bytes;
    }

    /// <summary>Output features of one part.</summary>
    public int OutFeatures { get; }

    /// <summary>
    /// How many Linears of the same shape on the same input this weight holds (1 for a plain nn.Linear; 3 for an
    /// attention's to_q/to_k/to_v fused by <see cref="Models.WeightBinder.LinearParts"/>): part p writes y[p].
    /// </summary>
    public int Parts { get; }

    public int InFeatures { get; }

    public bool HasBias { get; }

    /// <summary>The format the matrix is held in (F32, F16, BF16, F8_E4M3 or F8_E5M2).</summary>
    public DType Storage { get; }

    /// <summary>Memory this weight holds on its backend (matrix with padding, and bias).</summary>
    public long Bytes { get; }
}
