#include "ras.cuh"

// Classifier-free guidance y = uncond + scale·(cond − uncond), in that order as diffusers evaluates it:
// __fmul_rn rounds the product before the add (no FMA contraction), bit for bit the CPU's float32.
extern "C" __global__ void guidance(const T* uncond, const T* cond, float scale, T* y, long long n)
{
    GRID_STRIDE(i, n)
    {
        const float u = load(uncond, i);
        store(y, i, u + __fmul_rn(scale, load(cond, i) - u));
    }
}

