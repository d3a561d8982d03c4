using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>
/// A Linear on the device: the matrix in <see cref="LinearWeight.Storage"/> (the backend's dtype, or the stored
/// format where that is narrower, widened per GEMM by the widen_weight kernel), the bias in the backend's dtype.
/// </summary>
public sealed class CudaLinearWeight(ulong weight, ulong bias, int outFeatures, int inFeatures, DType storage, float scale, long bytes)
    : LinearWeight(outFeatures, inFeatures, bias != 0, storage, bytes)
{
    /// <summary>[out, in] row-major in <see cref="LinearWeight.Storage"/>.</summary>
    public ulong Weight { get; } = weight;

    /// <summary>[out] in the backend's dtype, or 0 when there is no bias.</summary>
    public ulong Bias { get; } = bias;

    /// <summary>The fp8 per-tensor scale the widening multiplies by (1 otherwise).</summary>
    public float Scale { get; } = scale;
}
