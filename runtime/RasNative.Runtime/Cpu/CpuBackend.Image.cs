using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu.Kernels;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>The ops the VAE decoder adds, on channels-last images [B, H, W, C] (kernels in Cpu/Kernels).</summary>
public sealed partial class CpuBackend
{
    public unsafe void Conv2d(Tensor x, LinearWeight weight, int kernelSize, bool upsample, Tensor y)
    {
        var w = weight as PackedLinearWeight ?? throw new ArgumentException("weight does not belong to the CPU backend");
        var geometry = Conv2dGeometry.Of(x, weight, kernelSize, upsample, y);
        CpuConvolution.Run(x.Pointer(), geometry, w, y.Pointer());
    }

    public unsafe void GroupNorm(Tensor x, Tensor weight, Tensor bias, int groups, float eps, bool silu, Tensor y)
    {
        var geometry = GroupNormGeometry.Of(x, weight, bias, groups, y);
        CpuGroupNorm.Run(x.Pointer(), weight.Pointer(), bias.Pointer(), y.Pointer(), geometry, eps, silu);
    }
}
