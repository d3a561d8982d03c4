#include "ras.cuh"

// Mean and 1/sqrt(biased variance + eps) of one row, by the whole block: two passes (mean, then centred
// variance), which match the CPU's numerics better than E[x²]−E[x]².
__device__ float2 row_mean_inverse_std(const T* xr, int dim, float eps, float* scratch)
{
    float sum = 0.0f;
    for (int c = threadIdx.x; c < dim; c += blockDim.x) sum += load(xr, c);
    const float mean = block_sum(sum, scratch) / dim;
    float squares = 0.0f;
    for (int c = threadIdx.x; c < dim; c += blockDim.x)
    {
        const float d = load(xr, c) - mean;
        squares += d * d;
    }
    return make_float2(mean, 1.0f / sqrtf(block_sum(squares, scratch) / dim + eps));
}

// y = LN(x)·(1 + scale) + shift over rows of dim values (no affine, biased variance), block per row.
// scale/shift point at their chunk for batch row 0; batch b = row / tokens reads b·stride further
// (each embedding's row width, as scale and shift may come from different embeddings).
// Two passes over the row (mean, then centred variance) match the CPU's numerics better than E[x²]−E[x]²;
// __fmul_rn keeps the product rounded before the shift is added (the CPU adds the shift as a second pass).
__device__ __forceinline__ void layernorm_modulate_row(const T* xr, T* yr, const T* scale, const T* shift, int dim, float eps,
    float* scratch)
{
    const float2 stats = row_mean_inverse_std(xr, dim, eps, scratch);
    const float mean = stats.x, inv = stats.y;
    for (int c = threadIdx.x; c < dim; c += blockDim.x)
    {
        float v = __fmul_rn((load(xr, c) - mean) * inv, 1.0f + load(scale, c));
        if (shift) v += load(shift, c);
        store(yr, c, v);
    }
}

extern "C" __global__ void layernorm_modulate(const T* x, T* y, const T* scale, const T* shift,
    long long rows, int dim, int tokens, int scaleStride, int shiftStride, float eps)
{
    __shared__ float scratch[33];
    BLOCK_PER_ROW(row, rows)
    {
        const long long b = row / tokens;
        layernorm_modulate_row(x + row * dim, y + row * dim, scale + b * scaleStride, shift ? shift + b * shiftStride : nullptr, dim, eps, scratch);
    }
}

// gated_residual then layernorm_modulate of the updated row, block per row: x += gate ⊙ y (one fused multiply-add,
// as the CPU), then y' = LN(x)(1 + scale) + shift. After the barrier the block reads back the row it just wrote, from
// cache, so x crosses memory once less than in two launches.
extern "C" __global__ void gated_residual_layernorm_modulate(T* x, const T* y, const T* gate, T* normalized, const T* scale,
    const T* shift, long long rows, int dim, int tokens, int gateStride, int scaleStride, int shiftStride, float eps)
{
    __shared__ float scratch[33];
    BLOCK_PER_ROW(row, rows)
    {
        T* xr = x + row * dim;
        const T* yr = y + row * dim;
        const long long b = row / tokens;
        const T* g = gate + b * gateStride;
        for (int c = threadIdx.x; c < dim; c += blockDim.x) store(xr, c, fmaf(load(yr, c), load(g, c), load(xr, c)));
        __syncthreads();
        layernorm_modulate_row(xr, normalized + row * dim, scale + b * scaleStride, shift ? shift + b * shiftStride : nullptr, dim, eps, scratch);
    }
}

// In place, warp per head: x / sqrt(mean(x²) + eps) · weight over each run of headDim channels.
// Launch with a multiple of 32 threads per block so every warp is whole.
extern "C" __global__ void rmsnorm_heads(T* x, const T* weight, long long heads, int headDim, float eps)
{
    const int lane = threadIdx.x & 31;
    const long long warps = ((long long)gridDim.x * blockDim.x) >> 5;
    for (long long h = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5; h < heads; h += warps)
    {
        T* xh = x + h * headDim;
        float squares = 0.0f;
        for (int c = lane; c < headDim; c += 32)
        {
            const float v = load(xh, c);
            squares += v * v;
        }
        const float inv = 1.0f / sqrtf(warp_sum(squares) / headDim + eps);
        for (int c = lane; c < headDim; c += 32) store(xh, c, load(xh, c) * inv * load(weight, c));
    }
}

// y = x / sqrt(mean(x²) + eps) · weight · (1 + scale) over rows of dim values, block per row, evaluated in
// that order like the CPU (diffusers RMSNorm then the Lumina modulation). scale points at its chunk for
// batch row 0 (null: no modulation); batch b = row / tokens reads b·scaleStride further. y may be x: every
// read of a row precedes the block_sum barrier, every write follows it.
extern "C" __global__ void rmsnorm_modulate(const T* x, const T* weight, const T* scale, T* y,
    long long rows, int dim, int tokens, int scaleStride, float eps)
{
    __shared__ float scratch[33];
    BLOCK_PER_ROW(row, rows)
    {
        const T* xr = x + row * dim;
        T* yr = y + row * dim;
        float squares = 0.0f;
        for (int c = threadIdx.x; c < dim; c += blockDim.x)
        {
            const float v = load(xr, c);
            squares += v * v;
        }
        const float inv = 1.0f / sqrtf(block_sum(squares, scratch) / dim + eps);
        const long long b = row / tokens;
        for (int c = threadIdx.x; c < dim; c += blockDim.x)
        {
            float v = __fmul_rn(__fmul_rn(load(xr, c), inv), load(weight, c));
            if (scale) v = __fmul_rn(v, 1.0f + load(scale, b * scaleStride + c));
            store(yr, c, v);
        }
    }
}

// nn.LayerNorm with affine weight and bias: (x − mean) / sqrt(var + eps) · weight + bias, biased variance,
// two passes like layernorm_modulate, block per row. y may be x (reads precede the last barrier).
extern "C" __global__ void layernorm_affine(const T* x, const T* weight, const T* bias, T* y, long long rows, int dim, float eps)
{
    __shared__ float scratch[33];
    BLOCK_PER_ROW(row, rows)
    {
        const T* xr = x + row * dim;
        T* yr = y + row * dim;
        const float2 stats = row_mean_inverse_std(xr, dim, eps, scratch);
        const float mean = stats.x, inv = stats.y;
        for (int c = threadIdx.x; c < dim; c += blockDim.x)
            store(yr, c, __fadd_rn(__fmul_rn(__fmul_rn(load(xr, c) - mean, inv), load(weight, c)), load(bias, c)));
    }
}
