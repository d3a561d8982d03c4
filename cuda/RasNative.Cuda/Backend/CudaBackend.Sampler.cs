using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public void Guidance(Tensor uncond, Tensor cond, float scale, Tensor y)
    {
        using var _ = Op("guidance");
        OpChecks.Elementwise("guidance", uncond, cond, y);
        Launch("guidance", y.Length, Ptr(uncond), Ptr(cond), scale, Ptr(y), y.Length);
    }
}
