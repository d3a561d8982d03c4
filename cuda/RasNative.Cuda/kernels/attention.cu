#include "ras.cuh"

// probs[r, :] = softmax(scores[r, :] + bias) over cols keys, block per row; scores are float32 (already scaled by
// the score GEMM). The rows are `heads in the launch` blocks of `queries` rows: row r is query i = r % queries of head
// headBase + (r / queries)·headStride. mask [cols] in T (0 masks the key, anything else attends) may be null; with
// causal, key j > i is masked too. biasTable [buckets, heads] in T (null: no bias) adds
// biasTable[buckets[j − i + queries − 1], head] to the score (T5's relative positions, never materialised).
// Masked keys get probability 0 (a −∞ logit), and a row with every key masked is all zeros rather than NaN, as on
// the CPU.
__device__ __forceinline__ bool attends(const T* mask, int causal, int i, int c)
{
    return (!mask || load(mask, c) != 0.0f) && !(causal && c > i);
}

extern "C" __global__ void softmax_rows(const float* scores, T* probs, const T* mask, long long rows, int cols,
    int queries, int causal, const T* biasTable, const int* buckets, int heads, int headBase, int headStride)
{
    __shared__ float scratch[33];
    BLOCK_PER_ROW(row, rows)
    {
        const float* s = scores + row * cols;
        T* p = probs + row * cols;
        const int i = (int)(row % queries), head = headBase + (int)(row / queries) * headStride;
        // The biased score of key c; only read where the key attends.
#define RAS_LOGIT(c) (biasTable ? s[c] + load(biasTable, (long long)buckets[(c) - i + queries - 1] * heads + head) : s[c])
        float m = RAS_NEG_INF;
        for (int c = threadIdx.x; c < cols; c += blockDim.x)
            if (attends(mask, causal, i, c)) m = fmaxf(m, RAS_LOGIT(c));
        m = block_max(m, scratch);
        float sum = 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x)
            if (attends(mask, causal, i, c)) sum += expf(RAS_LOGIT(c) - m);
        sum = block_sum(sum, scratch);
        const float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x)
            store(p, c, attends(mask, causal, i, c) ? expf(RAS_LOGIT(c) - m) * inv : 0.0f);
#undef RAS_LOGIT
    }
}
