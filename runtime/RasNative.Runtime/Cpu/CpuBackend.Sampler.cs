using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void Guidance(Tensor uncond, Tensor cond, float scale, Tensor y)
    {
        OpChecks.Elementwise("guidance", uncond, cond, y);
        var u = uncond.Span();
        var c = cond.Span();
        var dst = y.Span();
        for (int i = 0; i < dst.Length; i++) dst[i] = u[i] + scale * (c[i] - u[i]);
    }
}
