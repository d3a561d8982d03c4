using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed class CudaLinearWeight(ulong weight, ulong bias, int outFeatures, int inFeatures)
    : LinearWeight(outFeatures, inFeatures, bias != 0)
{
    /// <summary>[out, in] row-major in the backend's dtype.</summary>
    public ulong Weight { get; } = weight;

    /// <summary>[out] in the backend's dtype, or 0 when there is no bias.</summary>
    public ulong Bias { get; } = bias;
}
