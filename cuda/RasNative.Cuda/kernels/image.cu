#include "ras.cuh"

// The VAE decoder's image ops on channels-last [B, H, W, C] (CpuBackend.Image.cs is their reference).

// Conv2d's im2col band: col[p, j] for output pixels first … first + pixels − 1 (flat over B·H'·W') and j over the
// kernel window in (ky, kx, channel) order, the order of the permuted weight: the input pixel under tap (ky, kx), or 0
// outside the image (padding kernel / 2). With upsample the output is twice the input and the tap reads input pixel
// (y / 2, x / 2): nearest ×2, never materialised. Consecutive threads copy consecutive channels of one pixel.
extern "C" __global__ void im2col(const T* x, T* col, long long first, long long pixels, int inHeight, int inWidth,
    int channels, int kernel, int upsample)
{
    const int outHeight = inHeight << upsample, outWidth = inWidth << upsample, pad = kernel / 2;
    const long long depth = (long long)kernel * kernel * channels, plane = (long long)outHeight * outWidth;
    GRID_STRIDE(i, pixels * depth)
    {
        const long long pixel = first + i / depth;
        const int j = (int)(i % depth), tap = j / channels, c = j % channels;
        const long long image = pixel / plane;
        const int within = (int)(pixel % plane);
        const int sy = within / outWidth + tap / kernel - pad, sx = within % outWidth + tap % kernel - pad;
        T v = from_float<T>(0.0f);
        if (sy >= 0 && sy < outHeight && sx >= 0 && sx < outWidth)
            v = x[((image * inHeight + (sy >> upsample)) * inWidth + (sx >> upsample)) * channels + c];
        col[i] = v;
    }
}

// GroupNorm, pass 1: one block per item = (batch row, group, chunk of chunkPositions positions): the chunk's value
// count, mean and centred sum of squares (two passes over the chunk, which stays in cache), for group_norm_stats
// to merge. A chunk holds at most 2^16 values, so its count is exact in a float.
extern "C" __global__ void group_norm_partials(const T* x, float* partials, long long items, long long positions,
    int channels, int groupSize, int groups, int chunks, long long chunkPositions)
{
    __shared__ float scratch[33];
    BLOCK_PER_ROW(item, items)
    {
        const int chunk = (int)(item % chunks), g = (int)(item / chunks % groups);
        const long long b = item / chunks / groups;
        const long long start = chunk * chunkPositions, end = min(positions, start + chunkPositions);
        const long long count = (end - start) * groupSize;
        const T* base = x + (b * positions + start) * channels + (long long)g * groupSize;
        float sum = 0.0f;
        for (long long e = threadIdx.x; e < count; e += blockDim.x)
            sum += load(base, e / groupSize * channels + e % groupSize);
        const float mean = block_sum(sum, scratch) / count;
        float squares = 0.0f;
        for (long long e = threadIdx.x; e < count; e += blockDim.x)
        {
            const float d = load(base, e / groupSize * channels + e % groupSize) - mean;
            squares += d * d;
        }
        squares = block_sum(squares, scratch);
        if (threadIdx.x == 0)
        {
            partials[3 * item] = (float)count;
            partials[3 * item + 1] = mean;
            partials[3 * item + 2] = squares;
        }
    }
}

// GroupNorm, pass 2: per (batch row, group), the chunks' (count, mean, M2) merged in chunk order in double (Chan et
// al.'s pairwise update), giving the group's mean and 1/sqrt(biased variance + eps).
extern "C" __global__ void group_norm_stats(const float* partials, float* stats, long long groupRows, int chunks, float eps)
{
    GRID_STRIDE(row, groupRows)
    {
        double n = 0.0, mean = 0.0, m2 = 0.0;
        for (int c = 0; c < chunks; c++)
        {
            const float* p = partials + 3 * (row * chunks + c);
            const double count = p[0], delta = p[1] - mean, total = n + count;
            mean += delta * count / total;
            m2 += p[2] + delta * delta * n * count / total;
            n = total;
        }
        stats[2 * row] = (float)mean;
        stats[2 * row + 1] = (float)(1.0 / sqrt(m2 / n + eps));
    }
}

// GroupNorm, pass 3: y = ((x − mean)·rstd)·weight[c] + bias[c] in the CPU's order (no contraction), then SiLU when
// asked. y may be x (each element is read and written by one thread).
extern "C" __global__ void group_norm_apply(const T* x, const T* weight, const T* bias, const float* stats, T* y,
    long long n, long long positions, int channels, int groupSize, int groups, int silu)
{
    GRID_STRIDE(i, n)
    {
        const int c = (int)(i % channels);
        const long long b = i / (positions * channels);
        const float* s = stats + 2 * (b * groups + c / groupSize);
        float v = __fadd_rn(__fmul_rn(__fmul_rn(load(x, i) - s[0], s[1]), load(weight, c)), load(bias, c));
        if (silu) v = v / (1.0f + expf(-v));
        store(y, i, v);
    }
}
