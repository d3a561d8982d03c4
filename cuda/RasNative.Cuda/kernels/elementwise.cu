#include "ras.cuh"

// The elementwise kernels move 16-byte vectors where their pointers allow (map_unary / map_binary in ras.cuh); the
// row-wise ones index rows (a block per row, columns by thread), so no element pays a 64-bit division.

extern "C" __global__ void silu(const T* x, T* y, long long n)
{
    map_unary(x, y, n, [](float v) { return v / (1.0f + expf(-v)); });
}

extern "C" __global__ void add(const T* a, const T* b, T* y, long long n)
{
    map_binary(a, b, y, n, [](float u, float v) { return u + v; });
}

// y = a ⊙ b (SwiGLU's product).
extern "C" __global__ void multiply(const T* a, const T* b, T* y, long long n)
{
    map_binary(a, b, y, n, [](float u, float v) { return u * v; });
}

// Named tanh_elementwise because tanh is the math builtin. y may be x.
extern "C" __global__ void tanh_elementwise(const T* x, T* y, long long n)
{
    map_unary(x, y, n, [](float v) { return tanhf(v); });
}

// x += y · tanh(gate[c / headDim]) per row of `width` channels, block per row; __fmul_rn keeps the product rounded
// before the add (no FMA contraction), as the CPU and diffusers evaluate x + (y·tanh(gate)).
extern "C" __global__ void add_tanh_gated_heads(T* x, const T* y, const T* gate, long long rows, int width, int headDim)
{
    BLOCK_PER_ROW(row, rows)
    {
        T* xr = x + row * width;
        const T* yr = y + row * width;
        for (int c = threadIdx.x; c < width; c += blockDim.x)
            store(xr, c, load(xr, c) + __fmul_rn(load(yr, c), tanhf(load(gate, c / headDim))));
    }
}

extern "C" __global__ void fill(T* y, float value, long long n)
{
    const T v = from_float<T>(value);
    long long head = 0;
    if (aligned16(y))
    {
        VecT block;
        for (int k = 0; k < RAS_VEC; k++) block.v[k] = v;
        head = n / RAS_VEC * RAS_VEC;
        GRID_STRIDE(i, head / RAS_VEC) reinterpret_cast<VecT*>(y)[i] = block;
    }
    GRID_STRIDE(j, n - head) y[head + j] = v;
}

// Linear's epilogue where cuBLASLt's cannot do it: y = act(y + bias[col]) over rows of `cols` values, block per row;
// activation 0 none, 1 GELU (tanh), 2 SiLU, 3 exact GELU (erf), 4 quick GELU v·sigmoid(1.702·v) (the
// RasNative.Runtime.Backends.Activation values). bias may be null.
__device__ __forceinline__ float activate(float v, int activation)
{
    if (activation == 1) return 0.5f * v * (1.0f + tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v)));
    if (activation == 2) return v / (1.0f + expf(-v));
    if (activation == 3) return v * 0.5f * (1.0f + erff(v * 0.70710678118654752f));
    if (activation == 4) return v / (1.0f + expf(-1.702f * v));
    return v;
}

extern "C" __global__ void bias_activation(T* y, const T* bias, long long rows, int cols, int activation)
{
    const bool vectors = cols % RAS_VEC == 0 && aligned16(y) && (bias == nullptr || aligned16(bias));
    BLOCK_PER_ROW(row, rows)
    {
        T* yr = y + row * cols;
        if (vectors)
        {
            for (int c = threadIdx.x * RAS_VEC; c < cols; c += blockDim.x * RAS_VEC)
            {
                VecT v = *reinterpret_cast<VecT*>(yr + c);
                for (int k = 0; k < RAS_VEC; k++)
                    v.v[k] = from_float<T>(activate(to_float(v.v[k]) + (bias ? load(bias, c + k) : 0.0f), activation));
                *reinterpret_cast<VecT*>(yr + c) = v;
            }
        }
        else
        {
            for (int c = threadIdx.x; c < cols; c += blockDim.x)
                store(yr, c, activate(load(yr, c) + (bias ? load(bias, c) : 0.0f), activation));
        }
    }
}

// x += gate ⊙ y over rows of dim values (x, y [B, T, D]), block per row; gate points at the chunk's first value of
// batch row 0 and batch row b = row / tokens reads gateStride elements later. One fused multiply-add, as the
// CPU's FusedMultiplyAdd.
extern "C" __global__ void gated_residual(T* x, const T* y, const T* gate, long long rows, int dim, int tokens, int gateStride)
{
    const bool vectors = dim % RAS_VEC == 0 && gateStride % RAS_VEC == 0 && aligned16(x) && aligned16(y) && aligned16(gate);
    BLOCK_PER_ROW(row, rows)
    {
        T* xr = x + row * dim;
        const T* yr = y + row * dim;
        const T* g = gate + row / tokens * gateStride;
        if (vectors)
        {
            for (int c = threadIdx.x * RAS_VEC; c < dim; c += blockDim.x * RAS_VEC)
            {
                VecT xv = *reinterpret_cast<VecT*>(xr + c);
                const VecT yv = *reinterpret_cast<const VecT*>(yr + c), gv = *reinterpret_cast<const VecT*>(g + c);
                for (int k = 0; k < RAS_VEC; k++) xv.v[k] = from_float<T>(fmaf(to_float(yv.v[k]), to_float(gv.v[k]), to_float(xv.v[k])));
                *reinterpret_cast<VecT*>(xr + c) = xv;
            }
        }
        else
        {
            for (int c = threadIdx.x; c < dim; c += blockDim.x) store(xr, c, fmaf(load(yr, c), load(g, c), load(xr, c)));
        }
    }
}
