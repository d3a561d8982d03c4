using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>
/// A Linear on the device: the matrix in <see cref="LinearWeight.Storage"/> (the backend's dtype, or the stored
/// format where that is narrower, widened per GEMM by the widen_weight kernel), the bias in the backend's dtype. A
/// weight of several parts holds them one after the other ([parts·out, in], bias [parts·out]), each with its fp8 scale.
/// </summary>
public sealed class CudaLinearWeight(ulong weight, ulong bias, int outFeatures, int inFeatures, DType storage, float[] scales, long bytes)
    : LinearWeight(outFeatures, inFeatures, bias != 0, storage, bytes, scales.Length)
{
    /// <summary>[parts·out, in] row-major in <see cref="LinearWeight.Storage"/>.</summary>
    public ulong Weight { get; } = weight;

    /// <summary>[parts·out] in the backend's dtype, or 0 when there is no bias.</summary>
    public ulong Bias { get; } = bias;

    /// <summary>Each part's fp8 per-tensor scale the widening multiplies by (1 otherwise).</summary>
    public IReadOnlyList<float> Scales { get; } = scales;
}
