#include "ras.cuh"

// Classifier-free guidance y = uncond + scale·(cond − uncond), in that order as diffusers evaluates it.
extern "C" __global__ void guidance(const T* uncond, const T* cond, float scale, T* y, long long n)
{
    GRID_STRIDE(i, n)
    {
        const float u = load(uncond, i);
        store(y, i, u + scale * (load(cond, i) - u));
    }
}

// Flow-matching Euler step: increment = dt·velocity, then latents += increment (the stored increment, so
// 16-bit storage adds exactly what the caller can read back).
extern "C" __global__ void euler_step(T* latents, const T* velocity, float dt, T* increment, long long n)
{
    GRID_STRIDE(i, n)
    {
        const T inc = from_float<T>(dt * load(velocity, i));
        increment[i] = inc;
        store(latents, i, load(latents, i) + to_float(inc));
    }
}
