using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public void Guidance(Tensor uncond, Tensor cond, float scale, Tensor y)
    {
        using var _ = Op("guidance");
        Require(uncond.Length == cond.Length && cond.Length == y.Length, $"guidance {uncond}, {cond} → {y}");
        Launch("guidance", y.Length, Ptr(uncond), Ptr(cond), scale, Ptr(y), y.Length);
    }

    public void EulerStep(Tensor latents, Tensor velocity, float dt, Tensor increment)
    {
        using var _ = Op("euler_step");
        Require(latents.Length == velocity.Length && velocity.Length == increment.Length, $"euler_step {latents}, {velocity} → {increment}");
        Launch("euler_step", latents.Length, Ptr(latents), Ptr(velocity), dt, Ptr(increment), latents.Length);
    }
}
