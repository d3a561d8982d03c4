// Flash attention (docs/cuda.md, "Attention"): O = softmax(Q·Kᵀ·scale + bias + mask)·V with an online softmax,
// one launch per call, no score matrix in memory. FlashAttention-2's partitioning: a block owns a tile of query
// rows of one kv head, each warp 16·MT of those rows, and the block walks the keys in tiles double-buffered in
// shared memory by cp.async (one barrier per key tile). Grouped heads: the block's query rows are the pairs
// (token, query head of the group), head fastest, so every K/V tile it loads serves all the group's heads.
// Queries, keys and values are each up to two segments (image tokens, then text tokens) read through their own
// pointers, and the outputs are written to their two segments directly; a tile may straddle the boundary.
//
// 16-bit storage: S = Q·Kᵀ and O += P·V on tensor cores (mma.sync m16n8k16, f32 accumulators), Q/K/V fragments
// by ldmatrix, P rounded to the storage type for the P·V product as FlashAttention-2 does. float32 storage: the
// same tiling and softmax on CUDA cores, each lane computing the elements its mma fragment would hold, so both
// paths share everything but the two products. Head dims are padded with zeros to DP (a multiple of 16).
//
// Numerics, as the CPU backend (PyTorch's SDPA): the key mask is added as −∞ (a NaN score stays NaN even where
// masked); causally hidden keys and the keys past the end of the last tile are set to −∞; the relative-position
// bias is added to the scaled score. fmaxf ignores NaN, so a NaN score never becomes the running max: it
// reaches the row through exp2(NaN) in its probability and the row sum, and the whole row turns NaN. A row
// whose keys are all masked has sum 0 and is written as its accumulator + 0 (zeros, or the NaN a 0·NaN value
// carried in). A key tile with no attending key is skipped only when its keys and values are finite (where
// skipping cannot change the result), and with the causal mask the tiles after the block's last query are not
// visited.
#include "ras.cuh"
#include "ras_tensor_core.cuh"

// probs[r, :] = softmax(scores[r, :] + bias) over cols keys, block per row; scores are float32 (already scaled by
// the score GEMM). Used only by the score-matrix path for head dims above the flash kernel's (the VAE's
// mid-block attention, CudaBackend.Attention.cs). The rows are `heads in the launch` blocks of `queries` rows:
// row r is query i = r % queries of head headBase + (r / queries)·headStride. mask [cols] in T (0 masks the
// key, anything else attends) may be null; with causal, key j > i is masked too. biasTable [buckets, heads] in T
// (null: no bias) adds biasTable[buckets[j − i + queries − 1], head] to the score (T5's relative positions, never
// materialised). Masked keys get probability 0 (a −∞ logit), and a row with every key masked is all zeros rather
// than NaN, as on the CPU.
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

namespace flash
{
constexpr int kWarps = 4, kThreads = 32 * kWarps;
constexpr bool kTensorCores = sizeof(T) == 2;
constexpr int kChunk = 16 / (int)sizeof(T); // elements per 16-byte copy
constexpr float kLog2e = 1.4426950408889634f;

// Tile sizes for a padded head dim DP. Shared memory stays under the 48 KB a block gets without opting in.
//   16-bit: K and V tiles of 64 keys, double-buffered, rows padded by 16 bytes so ldmatrix's eight row addresses
//   fall in distinct banks; Q is staged through the second buffer (it lives in registers afterwards).
//   float32: 16-key tiles, Q (pre-scaled) and the warps' probabilities kept in shared memory.
// A warp takes a tile's keys kStep at a time (a score fragment of 16·MT rows × kStep keys in registers): 32 with two
// row tiles per warp, which keeps the 16-bit P ≤ 64 instances within 255 registers without spilling.
template <int DP> struct Shape
{
    static constexpr int kRowTiles = kTensorCores && DP <= 64 ? 2 : 1; // m16 row tiles per warp
    static constexpr int kBlockRows = 16 * kRowTiles * kWarps;
    static constexpr int kKeys = kTensorCores ? 64 : 16;
    static constexpr int kStep = kRowTiles == 2 ? 32 : kKeys;
    static constexpr int kStride = DP + kChunk;
    static constexpr int kProbabilityStride = kStep + 4;
};

template <int DP, bool = kTensorCores> struct Shared;

template <int DP> struct Shared<DP, true>
{
    T kv[2][2][Shape<DP>::kKeys][Shape<DP>::kStride]; // [buffer][K, V][key][channel]; Q and the output pass through kv[1]
    float mask[2][Shape<DP>::kKeys];                  // per key of the buffer's tile: 0 attends, −∞ masked
    __device__ T* query() { return &kv[1][0][0][0]; }
};

template <int DP> struct Shared<DP, false>
{
    T q[Shape<DP>::kBlockRows][Shape<DP>::kStride]; // Q·scale; the output passes through it at the end
    T kv[2][2][Shape<DP>::kKeys][Shape<DP>::kStride];
    float p[kWarps][16][Shape<DP>::kProbabilityStride];
    float mask[2][Shape<DP>::kKeys];
    __device__ T* query() { return &q[0][0]; }
};

// Rows of a [B, rows1, width] segment followed by a [B, rows2, width] one.
template <typename P> struct Segments
{
    P* first;
    P* second;
    int rows1, rows2, width;

    __device__ __forceinline__ P* row(int b, int i) const
    {
        return i < rows1 ? first + ((long long)b * rows1 + i) * width : second + ((long long)b * rows2 + (i - rows1)) * width;
    }
};

// Row r of a key tile: key key0 + r at channel offset `offset` (null past the last key).
struct KeyRows
{
    const Segments<const T>& segments;
    int b, key0, keys, offset;

    __device__ __forceinline__ const T* operator()(int r) const { return key0 + r < keys ? segments.row(b, key0 + r) + offset : nullptr; }
};

// Row r of a block's query tile: packed row row0 + r is token (row0 + r) / group of head head0 + (row0 + r) % group
// (null past the last query).
template <typename P> struct QueryRows
{
    const Segments<P>& segments;
    int b, row0, rows, group, head0, head_dim;

    __device__ __forceinline__ P* operator()(int r) const
    {
        const int packed = row0 + r, token = packed / group;
        return packed < rows ? segments.row(b, token) + (head0 + packed - token * group) * head_dim : nullptr;
    }
};

struct Problem
{
    Segments<const T> q, k, v;
    Segments<T> o;
    const T* mask;       // [B, keys] or null
    const T* bias_table; // [buckets, heads] or null
    const int* buckets;  // [queries + keys − 1] bucket ids, with bias_table
    int batch, heads, kv_heads, head_dim, group, queries, keys, query_rows, tiles;
    float scale;         // the caller's softmax scale
    bool causal, vector_loads, vector_stores;
};

// rows × head_dim elements from source(r) (null: a row of zeros) into a tile of Stride-element rows: one 16-byte
// cp.async per chunk where the problem's pointers allow it, plain loads (zero-filling the chunk past head_dim)
// otherwise. Columns from the last chunk to DP are never written (zeroed once per launch).
template <int Rows, int Stride, typename Source>
__device__ __forceinline__ void load_rows(T* tile, const Source& source, int head_dim, bool vector, float factor)
{
    const int chunks = (head_dim + kChunk - 1) / kChunk;
    for (int i = threadIdx.x; i < Rows * chunks; i += kThreads)
    {
        const int r = i / chunks, c = (i - r * chunks) * kChunk;
        T* destination = tile + r * Stride + c;
        const T* row = source(r);
        if (row && vector && factor == 1.0f)
            ras_cp_async_cg16(destination, row + c);
        else
            for (int e = 0; e < kChunk; e++)
                destination[e] = from_float<T>(row && c + e < head_dim ? load(row, c + e) * factor : 0.0f);
    }
}

// Zeroes columns ceil(head_dim / kChunk)·kChunk … DP of every row of a tile: the padding of the head dim, which
// the products read and the loads never write.
template <int DP, int Rows> __device__ __forceinline__ void zero_padding(T* tile, int head_dim)
{
    const int first = (head_dim + kChunk - 1) / kChunk, chunks = DP / kChunk - first;
    for (int i = threadIdx.x; i < Rows * chunks; i += kThreads)
    {
        const int r = i / chunks, c = (first + i - r * chunks) * kChunk;
        for (int e = 0; e < kChunk; e++) tile[r * Shape<DP>::kStride + c + e] = from_float<T>(0.0f);
    }
}

// Issues the loads of key tile `tile` into buffer `buffer` (K and V rows of kv head g, one cp.async group) and
// writes its per-key mask terms. Returns whether any of this thread's keys attends (the barrier before the tile
// is computed ORs these).
template <int DP, typename S>
__device__ __forceinline__ bool issue_key_tile(S& shared, const Problem& p, int b, int g, int tile, int buffer)
{
    constexpr int N = Shape<DP>::kKeys;
    const int key0 = tile * N;
    load_rows<N, Shape<DP>::kStride>(&shared.kv[buffer][0][0][0], KeyRows{p.k, b, key0, p.keys, g * p.head_dim}, p.head_dim, p.vector_loads, 1.0f);
    load_rows<N, Shape<DP>::kStride>(&shared.kv[buffer][1][0][0], KeyRows{p.v, b, key0, p.keys, g * p.head_dim}, p.head_dim, p.vector_loads, 1.0f);
    ras_cp_async_commit();
    bool any = false;
    for (int j = threadIdx.x; j < N; j += kThreads)
    {
        const int key = key0 + j;
        const bool attends = key < p.keys && (!p.mask || load(p.mask, (long long)b * p.keys + key) != 0.0f);
        shared.mask[buffer][j] = attends ? 0.0f : RAS_NEG_INF;
        any |= attends;
    }
    return any;
}

// Whether the landed K and V rows of the buffer's tile (real keys and channels) are all finite.
template <int DP, typename S> __device__ __forceinline__ bool tile_finite(S& shared, const Problem& p, int buffer, int key0)
{
    const int rows = min(Shape<DP>::kKeys, p.keys - key0), count = rows * p.head_dim;
    for (int i = threadIdx.x; i < 2 * count; i += kThreads)
    {
        const int kv = i / count, r = (i - kv * count) / p.head_dim, c = i - kv * count - r * p.head_dim;
        if ((__float_as_uint(to_float(shared.kv[buffer][kv][r][c])) & 0x7f800000u) == 0x7f800000u) return false;
    }
    return true;
}

// The running softmax of one warp's rows: for row tile mt and half h (fragment rows groupID and groupID + 8).
template <int MT> struct RunningSoftmax
{
    float max[MT][2], sum[MT][2];
};

// The query token and head of each fragment row of this lane (token −1: past the last query).
template <int MT> struct FragmentRows
{
    int token[MT][2], head[MT][2];

    __device__ FragmentRows(const Problem& p, int row0, int g, int warp, int group)
    {
#pragma unroll
        for (int mt = 0; mt < MT; mt++)
#pragma unroll
            for (int h = 0; h < 2; h++)
            {
                const int packed = row0 + (warp * MT + mt) * 16 + group + 8 * h, t = packed / p.group;
                token[mt][h] = packed < p.query_rows ? t : -1;
                head[mt][h] = g * p.group + packed - t * p.group;
            }
    }
};

// Turns a tile of scores s (fragment layout: s[mt][nb][2h + j] is row groupID + 8h, key nb·8 + 2·tig + j) into
// logits where the tile needs it: keys past the end −∞; with a bias table, the score scaled by `prescale` (the
// 16-bit path's raw scores) plus the row's bias; causally hidden keys −∞; the key mask added (0 or −∞). The CPU
// backend's order.
template <int MT, int NB>
__device__ __forceinline__ void logits(float (&s)[MT][NB][4], const Problem& p, const FragmentRows<MT>& rows, const float* mask, int key0, int tig,
    float prescale)
{
#pragma unroll
    for (int nb = 0; nb < NB; nb++)
#pragma unroll
        for (int j = 0; j < 2; j++)
        {
            const int column = nb * 8 + 2 * tig + j, key = key0 + column;
            const float mask_term = mask[column];
#pragma unroll
            for (int mt = 0; mt < MT; mt++)
#pragma unroll
                for (int h = 0; h < 2; h++)
                {
                    float& l = s[mt][nb][2 * h + j];
                    const int token = rows.token[mt][h];
                    if (key >= p.keys)
                    {
                        l = RAS_NEG_INF;
                        continue;
                    }
                    if (p.bias_table && token >= 0)
                        l = fmaf(l, prescale, load(p.bias_table, (long long)p.buckets[key - token + p.queries - 1] * p.heads + rows.head[mt][h]));
                    if (p.causal && key > token) l = RAS_NEG_INF;
                    l += mask_term;
                }
        }
}

// Folds a tile of logits into the running max and sum, turns s into exp2((s − max)·exp_scale) and rescales the
// output accumulator o. Quad lanes (the four holding a row) exchange their maxima; the sums stay per lane until
// the end.
template <int MT, int NB, int DB>
__device__ __forceinline__ void online_softmax(float (&s)[MT][NB][4], float (&o)[MT][DB][4], RunningSoftmax<MT>& state, float exp_scale)
{
#pragma unroll
    for (int mt = 0; mt < MT; mt++)
#pragma unroll
        for (int h = 0; h < 2; h++)
        {
            float tile_max = RAS_NEG_INF;
#pragma unroll
            for (int nb = 0; nb < NB; nb++) tile_max = fmaxf(tile_max, fmaxf(s[mt][nb][2 * h], s[mt][nb][2 * h + 1]));
            tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 1));
            tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 2));
            const float previous = state.max[mt][h], current = fmaxf(previous, tile_max);
            // Every key so far masked: shift by 0 so exp2(−∞) gives 0 instead of exp2(−∞ + ∞) = NaN.
            const float shift = current == RAS_NEG_INF ? 0.0f : current * exp_scale;
            const float rescale = exp2f(previous * exp_scale - shift);
            state.max[mt][h] = current;
            float sum = 0.0f;
#pragma unroll
            for (int nb = 0; nb < NB; nb++)
#pragma unroll
                for (int j = 0; j < 2; j++)
                {
                    const float probability = exp2f(fmaf(s[mt][nb][2 * h + j], exp_scale, -shift));
                    s[mt][nb][2 * h + j] = probability;
                    sum += probability;
                }
            state.sum[mt][h] = fmaf(state.sum[mt][h], rescale, sum);
#pragma unroll
            for (int db = 0; db < DB; db++)
            {
                o[mt][db][2 * h] *= rescale;
                o[mt][db][2 * h + 1] *= rescale;
            }
        }
}

#if RAS_DTYPE == 0
// float32 on CUDA cores: each lane computes the elements an m16n8 fragment would give it, from shared memory.
template <int DP> struct Products
{
    static constexpr int MT = 1, NB = Shape<DP>::kStep / 8, DB = DP / 8, Stride = Shape<DP>::kStride;

    struct QueryFragments
    {
    };

    template <typename S> __device__ static void load_query(QueryFragments&, S&, int, int) {}

    // s[0][nb] = (Q·scale)·Kᵀ for rows groupID, groupID + 8 and keys first + nb·8 + 2·tig, +1, summed over channels in order.
    template <typename S>
    __device__ static void scores(float (&s)[MT][NB][4], const QueryFragments&, S& shared, int buffer, int first, int warp, int lane)
    {
        const int group = lane >> 2, tig = lane & 3;
        const float* q0 = &shared.q[warp * 16 + group][0];
        const float* q1 = q0 + 8 * Stride;
#pragma unroll
        for (int nb = 0; nb < NB; nb++)
#pragma unroll
            for (int i = 0; i < 4; i++) s[0][nb][i] = 0.0f;
#pragma unroll 4
        for (int c = 0; c < DP; c += 4)
        {
            const float4 a0 = *(const float4*)(q0 + c), a1 = *(const float4*)(q1 + c);
#pragma unroll
            for (int nb = 0; nb < NB; nb++)
            {
                const float4 k0 = *(const float4*)&shared.kv[buffer][0][first + nb * 8 + 2 * tig][c];
                const float4 k1 = *(const float4*)&shared.kv[buffer][0][first + nb * 8 + 2 * tig + 1][c];
                s[0][nb][0] = fmaf(a0.w, k0.w, fmaf(a0.z, k0.z, fmaf(a0.y, k0.y, fmaf(a0.x, k0.x, s[0][nb][0]))));
                s[0][nb][1] = fmaf(a0.w, k1.w, fmaf(a0.z, k1.z, fmaf(a0.y, k1.y, fmaf(a0.x, k1.x, s[0][nb][1]))));
                s[0][nb][2] = fmaf(a1.w, k0.w, fmaf(a1.z, k0.z, fmaf(a1.y, k0.y, fmaf(a1.x, k0.x, s[0][nb][2]))));
                s[0][nb][3] = fmaf(a1.w, k1.w, fmaf(a1.z, k1.z, fmaf(a1.y, k1.y, fmaf(a1.x, k1.x, s[0][nb][3]))));
            }
        }
    }

    // o += P·V: the warp's probabilities go through its own shared rows so each lane can read whole rows of P.
    template <typename S>
    __device__ static void accumulate(float (&o)[MT][DB][4], const float (&s)[MT][NB][4], S& shared, int buffer, int first, int warp, int lane)
    {
        const int group = lane >> 2, tig = lane & 3;
        float* p0 = &shared.p[warp][group][0];
        float* p1 = &shared.p[warp][group + 8][0];
#pragma unroll
        for (int nb = 0; nb < NB; nb++)
        {
            *(float2*)(p0 + nb * 8 + 2 * tig) = make_float2(s[0][nb][0], s[0][nb][1]);
            *(float2*)(p1 + nb * 8 + 2 * tig) = make_float2(s[0][nb][2], s[0][nb][3]);
        }
        __syncwarp();
#pragma unroll 4
        for (int key = 0; key < Shape<DP>::kStep; key++)
        {
            const float w0 = p0[key], w1 = p1[key];
#pragma unroll
            for (int db = 0; db < DB; db++)
            {
                const float2 v = *(const float2*)&shared.kv[buffer][1][first + key][db * 8 + 2 * tig];
                o[0][db][0] = fmaf(w0, v.x, o[0][db][0]);
                o[0][db][1] = fmaf(w0, v.y, o[0][db][1]);
                o[0][db][2] = fmaf(w1, v.x, o[0][db][2]);
                o[0][db][3] = fmaf(w1, v.y, o[0][db][3]);
            }
        }
        __syncwarp(); // every lane has read the rows before they are written again
    }

    // Q is pre-scaled as it is loaded (the CPU backend's order), so the scores are already logits.
    __device__ static float query_factor(float scale) { return scale; }

    __device__ static float score_factor(float) { return 1.0f; }
};
#else
// 16-bit storage on tensor cores.
template <int DP> struct Products
{
    static constexpr int MT = Shape<DP>::kRowTiles, NB = Shape<DP>::kStep / 8, DB = DP / 8, KS = DP / 16, Stride = Shape<DP>::kStride;

    struct QueryFragments
    {
        unsigned a[MT][KS][4];
    };

    __device__ static void mma(float (&d)[4], const unsigned (&a)[4], const unsigned* b)
    {
#if RAS_DTYPE == 2
        ras_mma_m16n8k16_bf16(d, a, b, d);
#else
        ras_mma_m16n8k16_f16(d, a, b, d);
#endif
    }

    __device__ static unsigned pack(float low, float high)
    {
#if RAS_DTYPE == 2
        return ras_pack_bf16x2(low, high);
#else
        return ras_pack_f16x2(low, high);
#endif
    }

    // The warp's Q rows as A fragments: matrix m of ldmatrix.x4 is rows +8·(m & 1), channels +8·(m >> 1).
    template <typename S> __device__ static void load_query(QueryFragments& q, S& shared, int warp, int lane)
    {
        const T* base = shared.query() + (warp * MT * 16 + (lane & 7) + ((lane >> 3) & 1) * 8) * Stride + (lane >> 4) * 8;
#pragma unroll
        for (int mt = 0; mt < MT; mt++)
#pragma unroll
            for (int ks = 0; ks < KS; ks++) ras_ldmatrix_x4(q.a[mt][ks], base + mt * 16 * Stride + ks * 16);
    }

    // S = Q·Kᵀ: ldmatrix.x4 over K rows gives the B fragments of two 8-key blocks (matrix m: keys +8·(m >> 1),
    // channels +8·(m & 1)); each serves every row tile of the warp.
    template <typename S>
    __device__ static void scores(float (&s)[MT][NB][4], const QueryFragments& q, S& shared, int buffer, int first, int, int lane)
    {
#pragma unroll
        for (int mt = 0; mt < MT; mt++)
#pragma unroll
            for (int nb = 0; nb < NB; nb++)
#pragma unroll
                for (int i = 0; i < 4; i++) s[mt][nb][i] = 0.0f;
        const T* base = &shared.kv[buffer][0][first + (lane & 7) + (lane >> 4) * 8][((lane >> 3) & 1) * 8];
#pragma unroll
        for (int ks = 0; ks < KS; ks++)
#pragma unroll
            for (int pair = 0; pair < NB / 2; pair++)
            {
                unsigned b[4];
                ras_ldmatrix_x4(b, base + pair * 16 * Stride + ks * 16);
#pragma unroll
                for (int mt = 0; mt < MT; mt++)
                {
                    mma(s[mt][2 * pair], q.a[mt][ks], b);
                    mma(s[mt][2 * pair + 1], q.a[mt][ks], b + 2);
                }
            }
    }

    // o += P·V: the probabilities of two 8-key blocks form one A fragment (the C layout of an m16n8 pair is the A
    // layout of an m16k16), rounded to the storage type; ldmatrix.x4.trans over V rows gives the B fragments of two
    // 8-channel blocks (matrix m: keys +8·(m & 1), channels +8·(m >> 1)).
    template <typename S>
    __device__ static void accumulate(float (&o)[MT][DB][4], const float (&s)[MT][NB][4], S& shared, int buffer, int first, int, int lane)
    {
        const T* base = &shared.kv[buffer][1][first + (lane & 7) + ((lane >> 3) & 1) * 8][(lane >> 4) * 8];
#pragma unroll
        for (int ks = 0; ks < NB / 2; ks++)
        {
            unsigned a[MT][4];
#pragma unroll
            for (int mt = 0; mt < MT; mt++)
            {
                a[mt][0] = pack(s[mt][2 * ks][0], s[mt][2 * ks][1]);
                a[mt][1] = pack(s[mt][2 * ks][2], s[mt][2 * ks][3]);
                a[mt][2] = pack(s[mt][2 * ks + 1][0], s[mt][2 * ks + 1][1]);
                a[mt][3] = pack(s[mt][2 * ks + 1][2], s[mt][2 * ks + 1][3]);
            }
#pragma unroll
            for (int pair = 0; pair < DB / 2; pair++)
            {
                unsigned b[4];
                ras_ldmatrix_x4_trans(b, base + ks * 16 * Stride + pair * 16);
#pragma unroll
                for (int mt = 0; mt < MT; mt++)
                {
                    mma(o[mt][2 * pair], a[mt], b);
                    mma(o[mt][2 * pair + 1], a[mt], b + 2);
                }
            }
        }
    }

    // Q is loaded as stored and the scores are raw: the scale goes into the exponent (one FMA per probability),
    // or, with a bias, onto the score before the bias is added.
    __device__ static float query_factor(float) { return 1.0f; }

    __device__ static float score_factor(float scale) { return scale; }
};
#endif

template <int DP> __device__ void attention(const Problem& p)
{
    using Tile = Shape<DP>;
    using Math = Products<DP>;
    constexpr int MT = Math::MT, NB = Math::NB, DB = Math::DB, Rows = Tile::kBlockRows, Stride = Tile::kStride, N = Tile::kKeys;
    __shared__ __align__(16) Shared<DP> shared;

    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, group = lane >> 2, tig = lane & 3;
    const float query_factor = Math::query_factor(p.scale), score_factor = Math::score_factor(p.scale);
    // With a bias the logits are scaled scores; otherwise the scale (if not in Q) goes into the exponent.
    const float prescale = p.bias_table ? score_factor : 1.0f, exp_scale = (p.bias_table ? 1.0f : score_factor) * kLog2e;
    const int key_tiles = (p.keys + N - 1) / N;

    zero_padding<DP, 4 * N>(&shared.kv[0][0][0][0], p.head_dim);
    if (!kTensorCores) zero_padding<DP, Rows>(shared.query(), p.head_dim);

    for (int item = blockIdx.x; item < p.batch * p.kv_heads * p.tiles; item += gridDim.x)
    {
        const int tile = item % p.tiles, g = item / p.tiles % p.kv_heads, b = item / p.tiles / p.kv_heads;
        const int row0 = tile * Rows;
        // Causal: the keys after the block's last query are hidden from all its rows.
        const int last_token = (min(row0 + Rows, p.query_rows) - 1) / p.group;
        const int tiles_visited = p.causal ? min(key_tiles, last_token / N + 1) : key_tiles;
        load_rows<Rows, Stride>(shared.query(), QueryRows<const T>{p.q, b, row0, p.query_rows, p.group, g * p.group, p.head_dim}, p.head_dim,
            p.vector_loads, query_factor);
        ras_cp_async_commit();
        bool attends = tiles_visited > 0 && issue_key_tile<DP>(shared, p, b, g, 0, 0);

        typename Math::QueryFragments q;
        if (kTensorCores)
        {
            ras_cp_async_wait<1>();
            __syncthreads();
            Math::load_query(q, shared, warp, lane);
        }

        float o[MT][DB][4];
        RunningSoftmax<MT> state;
#pragma unroll
        for (int mt = 0; mt < MT; mt++)
        {
#pragma unroll
            for (int db = 0; db < DB; db++)
#pragma unroll
                for (int i = 0; i < 4; i++) o[mt][db][i] = 0.0f;
            state.max[mt][0] = state.max[mt][1] = RAS_NEG_INF;
            state.sum[mt][0] = state.sum[mt][1] = 0.0f;
        }
        const FragmentRows<MT> rows(p, row0, g, warp, group);
        // Warps whose rows all lie past the last query only keep the block's loads and barriers going.
        const bool active = row0 + warp * MT * 16 < p.query_rows;

        for (int t = 0; t < tiles_visited; t++)
        {
            const int buffer = t & 1;
            ras_cp_async_wait<0>();
            // Tile t has landed for every thread, and every warp is done with the other buffer (tile t − 1, or Q).
            bool visit = __syncthreads_or(attends);
            // A tile with every key masked changes nothing when its keys and values are finite (block-uniform).
            if (!visit) visit = __syncthreads_or(!tile_finite<DP>(shared, p, buffer, t * N));
            if (t + 1 < tiles_visited) attends = issue_key_tile<DP>(shared, p, b, g, t + 1, buffer ^ 1);
            if (!active || !visit) continue;
            const bool adjust = p.mask || p.causal || p.bias_table || (t + 1) * N > p.keys;
            for (int first = 0; first < N && t * N + first < p.keys; first += Tile::kStep)
            {
                float s[MT][NB][4];
                Math::scores(s, q, shared, buffer, first, warp, lane);
                if (adjust) logits(s, p, rows, shared.mask[buffer] + first, t * N + first, tig, prescale);
                online_softmax(s, o, state, exp_scale);
                Math::accumulate(o, s, shared, buffer, first, warp, lane);
            }
        }

        // O / rowsum through shared memory (the query rows' region), then out in 16-byte pieces where aligned. The
        // wait lands a query copy still in flight when no key tile was visited (no keys), before that region is reused.
        ras_cp_async_wait<0>();
        __syncthreads();
        T* staged = shared.query();
#pragma unroll
        for (int mt = 0; mt < MT; mt++)
#pragma unroll
            for (int h = 0; h < 2; h++)
            {
                float sum = state.sum[mt][h];
                sum += __shfl_xor_sync(0xffffffffu, sum, 1);
                sum += __shfl_xor_sync(0xffffffffu, sum, 2);
                T* row = staged + ((warp * MT + mt) * 16 + group + 8 * h) * Stride;
#pragma unroll
                for (int db = 0; db < DB; db++)
#pragma unroll
                    for (int j = 0; j < 2; j++)
                    {
                        const int c = db * 8 + 2 * tig + j;
                        // Only real channels: the padding must stay zero for the next item's tiles. A row without
                        // an attending key (sum 0) keeps its accumulator + 0: zeros, or NaN from 0·NaN.
                        const float value = o[mt][db][2 * h + j];
                        if (c < p.head_dim) row[c] = from_float<T>(sum == 0.0f ? value + 0.0f : value / sum);
                    }
            }
        __syncthreads();
        const QueryRows<T> output{p.o, b, row0, p.query_rows, p.group, g * p.group, p.head_dim};
        const int chunks = (p.head_dim + kChunk - 1) / kChunk;
        for (int i = threadIdx.x; i < Rows * chunks; i += kThreads)
        {
            const int r = i / chunks, c = (i - r * chunks) * kChunk;
            T* destination = output(r);
            if (!destination) continue;
            const T* source = staged + r * Stride + c;
            if (p.vector_stores)
                *(uint4*)(destination + c) = *(const uint4*)source;
            else
                for (int e = 0; e < kChunk && c + e < p.head_dim; e++) destination[c + e] = source[e];
        }
        __syncthreads(); // the staged rows are read before the next item loads its queries there
    }
}
} // namespace flash

// One launch per attention call: queries [q1 (queries1 rows); q2 (queries2 rows)] of [B, rows, heads·head_dim],
// keys/values [k1; k2], [v1; v2] of [B, rows, kv_heads·head_dim], outputs [o1; o2] like the queries, mask
// [B, keys1 + keys2] (0 masks) or null, bias_table [buckets, heads] with buckets [queries + keys − 1] (the bucket of
// key j for query i is buckets[j − i + queries − 1]) or null; null second segments have 0 rows. The grid walks
// batch × kv_heads × query tiles (any grid size covers them); flags: 1 = q/k/v pointers, row strides and head
// offsets are 16-byte aligned (cp.async), 2 = the same for the outputs, 4 = causal. head_dim ≤ DP, the kernel's
// padded head dim; 128 threads per block.
#define FLASH_ATTENTION_PARAMETERS                                                                                            \
    const T *q1, const T *q2, const T *k1, const T *k2, const T *v1, const T *v2, T *o1, T *o2, const T *mask,               \
        const T *bias_table, const int *buckets, int queries1, int queries2, int keys1, int keys2, int batch, int heads, int kv_heads, \
        int head_dim, float scale, int flags
#define FLASH_ATTENTION_ARGUMENTS \
    q1, q2, k1, k2, v1, v2, o1, o2, mask, bias_table, buckets, queries1, queries2, keys1, keys2, batch, heads, kv_heads, head_dim, scale, flags

template <int DP> __device__ __forceinline__ void flash_attention(FLASH_ATTENTION_PARAMETERS)
{
    const int group = heads / kv_heads, query_rows = (queries1 + queries2) * group, rows = flash::Shape<DP>::kBlockRows;
    const flash::Problem p{{q1, q2, queries1, queries2, heads * head_dim}, {k1, k2, keys1, keys2, kv_heads * head_dim},
        {v1, v2, keys1, keys2, kv_heads * head_dim}, {o1, o2, queries1, queries2, heads * head_dim}, mask, bias_table, buckets, batch,
        heads, kv_heads, head_dim, group, queries1 + queries2, keys1 + keys2, query_rows, (query_rows + rows - 1) / rows, scale,
        (flags & 4) != 0, (flags & 1) != 0, (flags & 2) != 0};
    flash::attention<DP>(p);
}

// Each kernel's body on lines of its own: NVRTC 11.8 crashes (unbounded recursion) compiling a one-line kernel
// that inlines memory accesses for sm_90 with -lineinfo.
extern "C" __global__ void flash_attention_d16(FLASH_ATTENTION_PARAMETERS)
{
    flash_attention<16>(FLASH_ATTENTION_ARGUMENTS);
}

extern "C" __global__ void flash_attention_d32(FLASH_ATTENTION_PARAMETERS)
{
    flash_attention<32>(FLASH_ATTENTION_ARGUMENTS);
}

extern "C" __global__ void flash_attention_d48(FLASH_ATTENTION_PARAMETERS)
{
    flash_attention<48>(FLASH_ATTENTION_ARGUMENTS);
}

extern "C" __global__ void flash_attention_d64(FLASH_ATTENTION_PARAMETERS)
{
    flash_attention<64>(FLASH_ATTENTION_ARGUMENTS);
}

extern "C" __global__ void flash_attention_d80(FLASH_ATTENTION_PARAMETERS)
{
    flash_attention<80>(FLASH_ATTENTION_ARGUMENTS);
}
