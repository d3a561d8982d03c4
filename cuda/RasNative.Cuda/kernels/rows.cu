#include "ras.cuh"

// Copies one row of dim values, in 16-byte vectors when both rows are aligned (whole-row copies of the K/V cache).
__device__ __forceinline__ void copy_row(const T* from, T* to, int dim)
{
    if (dim % RAS_VEC == 0 && aligned16(from) && aligned16(to))
        for (int c = threadIdx.x * RAS_VEC; c < dim; c += blockDim.x * RAS_VEC)
            *reinterpret_cast<VecT*>(to + c) = *reinterpret_cast<const VecT*>(from + c);
    else
        for (int c = threadIdx.x; c < dim; c += blockDim.x) to[c] = from[c];
}

// dst [B, n, dim][b, i] = src [B, srcRows, dim][b, indices[i]], block per destination row.
extern "C" __global__ void gather_rows(const T* src, const int* indices, T* dst, int batch, int n, int srcRows, int dim)
{
    BLOCK_PER_ROW(r, (long long)batch * n)
    {
        const int b = (int)(r / n), token = (int)(r - (long long)b * n);
        copy_row(src + ((long long)b * srcRows + indices[token]) * dim, dst + r * dim, dim);
    }
}

// dst [B, dstRows, dim][b, indices[i]] = src [B, n, dim][b, i] (K/V cache row update), block per source row.
extern "C" __global__ void scatter_rows(const T* src, const int* indices, T* dst, int batch, int n, int dstRows, int dim)
{
    BLOCK_PER_ROW(r, (long long)batch * n)
    {
        const int b = (int)(r / n), token = (int)(r - (long long)b * n);
        copy_row(src + r * dim, dst + ((long long)b * dstRows + indices[token]) * dim, dim);
    }
}

// dst [B, rowsA + rowsB, dim] = per batch, a's rows then b's rows (joint-attention segments).
extern "C" __global__ void concat_rows(const T* a, int rowsA, const T* b, int rowsB, T* dst, int batch, int dim)
{
    const int rows = rowsA + rowsB;
    GRID_STRIDE(i, (long long)batch * rows * dim)
    {
        const int c = (int)(i % dim);
        const long long r = i / dim;
        const int row = (int)(r % rows), bb = (int)(r / rows);
        dst[i] = row < rowsA ? a[((long long)bb * rowsA + row) * dim + c] : b[((long long)bb * rowsB + row - rowsA) * dim + c];
    }
}

// Inverse of concat_rows.
extern "C" __global__ void split_rows(const T* src, T* a, int rowsA, T* b, int rowsB, int batch, int dim)
{
    const int rows = rowsA + rowsB;
    GRID_STRIDE(i, (long long)batch * rows * dim)
    {
        const int c = (int)(i % dim);
        const long long r = i / dim;
        const int row = (int)(r % rows), bb = (int)(r / rows);
        if (row < rowsA)
            a[((long long)bb * rowsA + row) * dim + c] = src[i];
        else
            b[((long long)bb * rowsB + row - rowsA) * dim + c] = src[i];
    }
}

// y [B, dim] = Σ_l mask[b, l]·x[b, l, :] / Σ_l mask[b, l] for x [B, tokens, dim], mask [B, tokens]; thread per
// output value summing in token order with rounded products, bit for bit the CPU's float32 loop.
extern "C" __global__ void masked_mean_rows(const T* x, const T* mask, T* y, int batch, int tokens, int dim)
{
    GRID_STRIDE(i, (long long)batch * dim)
    {
        const long long b = i / dim;
        const int c = (int)(i % dim);
        float sum = 0.0f, count = 0.0f;
        for (int l = 0; l < tokens; l++)
        {
            const float w = load(mask, b * tokens + l);
            count += w;
            sum += __fmul_rn(load(x, (b * tokens + l) * dim + c), w);
        }
        store(y, i, sum / count);
    }
}
