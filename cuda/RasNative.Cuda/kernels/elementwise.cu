#include "ras.cuh"

extern "C" __global__ void silu(const T* x, T* y, long long n)
{
    GRID_STRIDE(i, n)
    {
        const float v = load(x, i);
        store(y, i, v / (1.0f + expf(-v)));
    }
}

extern "C" __global__ void add(const T* a, const T* b, T* y, long long n)
{
    GRID_STRIDE(i, n) store(y, i, load(a, i) + load(b, i));
}

// y = a ⊙ b (SwiGLU's product).
extern "C" __global__ void multiply(const T* a, const T* b, T* y, long long n)
{
    GRID_STRIDE(i, n) store(y, i, load(a, i) * load(b, i));
}

// Named tanh_elementwise because tanh is the math builtin. y may be x.
extern "C" __global__ void tanh_elementwise(const T* x, T* y, long long n)
{
    GRID_STRIDE(i, n) store(y, i, tanhf(load(x, i)));
}

// x += y · tanh(gate[c / headDim]) with channel c = i % width; __fmul_rn keeps the product rounded before
// the add (no FMA contraction), as the CPU and diffusers evaluate x + (y·tanh(gate)).
extern "C" __global__ void add_tanh_gated_heads(T* x, const T* y, const T* gate, long long n, int width, int headDim)
{
    GRID_STRIDE(i, n)
    {
        const float g = tanhf(load(gate, (i % width) / headDim));
        store(x, i, load(x, i) + __fmul_rn(load(y, i), g));
    }
}

extern "C" __global__ void fill(T* y, float value, long long n)
{
    const T v = from_float<T>(value);
    GRID_STRIDE(i, n) y[i] = v;
}

// Linear's epilogue after the GEMM: y = act(y + bias[col]); activation 0 none, 1 GELU (tanh), 2 SiLU, 3 exact
// GELU (erf), 4 quick GELU v·sigmoid(1.702·v) (the RasNative.Runtime.Backends.Activation values). bias may be null.
extern "C" __global__ void bias_activation(T* y, const T* bias, long long n, int cols, int activation)
{
    GRID_STRIDE(i, n)
    {
        float v = load(y, i);
        if (bias) v += load(bias, i % cols);
        if (activation == 1)
            v = 0.5f * v * (1.0f + tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v)));
        else if (activation == 2)
            v = v / (1.0f + expf(-v));
        else if (activation == 3)
            v = v * 0.5f * (1.0f + erff(v * 0.70710678118654752f));
        else if (activation == 4)
            v = v / (1.0f + expf(-1.702f * v));
        store(y, i, v);
    }
}

// x += gate ⊙ y with x, y [B, T, D]; gate points at the chunk's first value of batch row 0 and batch
// row b's values start gateStride elements later. One fused multiply-add, as the CPU's FusedMultiplyAdd.
extern "C" __global__ void gated_residual(T* x, const T* y, const T* gate, long long n, long long batchStride, int dim, int gateStride)
{
    GRID_STRIDE(i, n)
    {
        const long long b = i / batchStride;
        const int c = (int)(i % dim);
        store(x, i, fmaf(load(y, i), load(gate, b * gateStride + c), load(x, i)));
    }
}
