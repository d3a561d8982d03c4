#include "ras.cuh"

// probs[r, :] = softmax(scores[r, :]) over cols keys, block per row; scores are float32 (already scaled
// by the score GEMM). mask [cols] in T (0 masks the key, anything else attends) may be null; masked keys
// get probability 0 (a −∞ logit),
// and a row with every key masked is all zeros rather than NaN, as on the CPU.
extern "C" __global__ void softmax_rows(const float* scores, T* probs, const T* mask, long long rows, int cols)
{
    __shared__ float scratch[33];
    BLOCK_PER_ROW(row, rows)
    {
        const float* s = scores + row * cols;
        T* p = probs + row * cols;
        float m = RAS_NEG_INF;
        for (int c = threadIdx.x; c < cols; c += blockDim.x)
            if (!mask || load(mask, c) != 0.0f) m = fmaxf(m, s[c]);
        m = block_max(m, scratch);
        float sum = 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x)
            if (!mask || load(mask, c) != 0.0f) sum += expf(s[c] - m);
        sum = block_sum(sum, scratch);
        const float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x)
            store(p, c, (!mask || load(mask, c) != 0.0f) ? expf(s[c] - m) * inv : 0.0f);
    }
}
