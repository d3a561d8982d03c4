using RasNative.Cuda.Native;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    /// <summary>The largest head dim the flash kernel takes (its widest instance, <c>flash_attention_d80</c>).</summary>
    const int FlashMaxHeadDim = 80;

    /// <summary>The flash kernel's instances by padded head dim / 16 − 1.</summary>
    static readonly string[] FlashKernels = ["flash_attention_d16", "flash_attention_d32", "flash_attention_d48", "flash_attention_d64", "flash_attention_d80"];

    /// <summary>Threads per flash-attention block (the kernel's kWarps · 32).</summary>
    const int FlashThreads = 128;

    /// <summary>Upper bound on one float32 score block [kv heads in a call × Tq × Tk], to bound scratch memory.</summary>
    const long ScoreScratchBytes = 256L << 20;

    /// <summary>
    /// softmax(Q·Kᵀ·scale + bias + mask)·V (see <see cref="AttentionArgs"/>). Head dims up to
    /// <see cref="FlashMaxHeadDim"/> (every transformer and text encoder) run the flash kernel: one launch, the
    /// segments read and written in place, no score matrix. Wider heads (the VAE's mid-block attention, one head
    /// of 512 channels) take the score-matrix path, whose float32 scores the flash kernel's shared memory cannot
    /// replace at that width (docs/cuda.md, "Attention").
    /// </summary>
    public void Attention(AttentionArgs args)
    {
        using var _ = Op("attention");
        OpChecks.Attention(args);
        int batch = args.Query1.Dim(0), heads = args.Heads, kvHeads = args.EffectiveKvHeads, d = args.HeadDim;
        Require(heads % kvHeads == 0, $"{heads} heads not a multiple of {kvHeads} kv heads");
        int qWidth = heads * d, kvWidth = kvHeads * d;
        int tq = Rows(args.Query1, args.Query2, batch, qWidth, "query");
        int tk = Rows(args.Key1, args.Key2, batch, kvWidth, "key");
        Require(Rows(args.Value1, args.Value2, batch, kvWidth, "value") == tk, "value rows differ from key rows");
        Require(Rows(args.Output1, args.Output2, batch, qWidth, "output") == tq, "output rows differ from query rows");
        Require(args.KeyMask is null || args.KeyMask.Length == (long)batch * tk, $"key mask {args.KeyMask} for [{batch}, {tk}]");
        var bias = args.PositionBias;
        Require(bias is null || (bias.Table.Rank == 2 && bias.Table.Dim(1) == heads && bias.Buckets.Count == tq + tk - 1),
            $"position bias table {bias?.Table} for {heads} heads with {bias?.Buckets.Count} bucket ids for {tq} queries and {tk} keys");
        if (batch == 0 || tq == 0) return;
        if (d <= FlashMaxHeadDim)
            FlashAttention(args, batch, tq);
        else
            ScoreMatrixAttention(args, batch, tq, tk);
    }

    /// <summary>
    /// One launch of <c>flash_attention_dP</c>, P = the head dim padded to a multiple of 16: a block per tile of
    /// (token, query head of a group) rows of one kv head, batch × kv heads × tiles in all.
    /// </summary>
    void FlashAttention(AttentionArgs args, int batch, int tq)
    {
        int heads = args.Heads, kvHeads = args.EffectiveKvHeads, d = args.HeadDim, padded = (d + 15) / 16 * 16;
        // The kernel's Shape<DP>::kBlockRows: 64 rows per block, 128 for 16-bit storage up to a padded head dim of 64.
        int blockRows = DType != CudaDType.F32 && padded <= 64 ? 128 : 64;
        long queryRows = (long)tq * (heads / kvHeads), items = (long)batch * kvHeads * ((queryRows + blockRows - 1) / blockRows);
        var bias = args.PositionBias;
        ulong q1 = Ptr(args.Query1), q2 = PtrOrNull(args.Query2), k1 = Ptr(args.Key1), k2 = PtrOrNull(args.Key2);
        ulong v1 = Ptr(args.Value1), v2 = PtrOrNull(args.Value2), o1 = Ptr(args.Output1), o2 = PtrOrNull(args.Output2);
        // cp.async and the 16-byte stores need 16-byte aligned rows and head offsets (d·size a multiple of 16).
        bool rowsAligned = d * ElementSize % 16 == 0;
        bool loadsAligned = rowsAligned && Aligned16(q1, q2, k1, k2, v1, v2), storesAligned = rowsAligned && Aligned16(o1, o2);
        int flags = (loadsAligned ? 1 : 0) | (storesAligned ? 2 : 0) | (args.Causal ? 4 : 0);
        LaunchBlocks(FlashKernels[padded / 16 - 1], (uint)Math.Min(items, (long)device.Multiprocessors * 16),
            [q1, q2, k1, k2, v1, v2, o1, o2, PtrOrNull(args.KeyMask), bias is null ? 0UL : Ptr(bias.Table), bias is null ? 0UL : Ptr(bias.Buckets),
             args.Query1.Dim(1), args.Query2?.Dim(1) ?? 0, args.Key1.Dim(1), args.Key2?.Dim(1) ?? 0,
             batch, heads, kvHeads, d, args.Scale, flags],
            FlashThreads);
    }

    ulong PtrOrNull(Tensor? tensor) => tensor is null ? 0UL : Ptr(tensor);

    static bool Aligned16(params ReadOnlySpan<ulong> pointers)
    {
        foreach (var pointer in pointers)
            if (pointer % 16 != 0) return false;
        return true;
    }

    /// <summary>
    /// The score-matrix path, for head dims above the flash kernel's: segments are concatenated into contiguous
    /// Q/K/V, then per batch row and per query head within a GQA group, over a chunk of kv heads:
    /// S = scale·Q·Kᵀ (strided-batched GEMM into float32), P = softmax(S + position bias) with the key and causal
    /// masks (kernel; the bias is read from its [buckets, heads] table per score, never materialised),
    /// O = P·V (strided-batched GEMM), and O is split back into the output segments. Query head h = g·rep + r reads
    /// kv head g, so fixing r makes the query heads of a chunk evenly strided (rep·headDim) and one batched GEMM
    /// covers them.
    /// </summary>
    void ScoreMatrixAttention(AttentionArgs args, int batch, int tq, int tk)
    {
        int heads = args.Heads, kvHeads = args.EffectiveKvHeads, d = args.HeadDim;
        int rep = heads / kvHeads, qWidth = heads * d, kvWidth = kvHeads * d;
        var bias = args.PositionBias;
        ulong biasTable = bias is null ? 0UL : Ptr(bias.Table), buckets = bias is null ? 0UL : Ptr(bias.Buckets);
        var q = Contiguous(args.Query1, args.Query2, batch, qWidth);
        var k = Contiguous(args.Key1, args.Key2, batch, kvWidth);
        var v = Contiguous(args.Value1, args.Value2, batch, kvWidth);
        var o = args.Output2 is null ? Ptr(args.Output1) : Scratch((long)batch * tq * qWidth * ElementSize);

        long block = (long)tq * tk;
        int chunk = (int)Math.Clamp(ScoreScratchBytes / Math.Max(1, block * 4), 1, kvHeads);
        var scores = Scratch(chunk * block * 4);
        var probs = Scratch(chunk * block * ElementSize);
        int type = DType.CudaDataType(), es = ElementSize;
        for (int b = 0; b < batch; b++)
        {
            ulong qb = q.Pointer + (ulong)((long)b * tq * qWidth * es), ob = o + (ulong)((long)b * tq * qWidth * es);
            ulong kb = k.Pointer + (ulong)((long)b * tk * kvWidth * es), vb = v.Pointer + (ulong)((long)b * tk * kvWidth * es);
            ulong mask = args.KeyMask is null ? 0UL : Ptr(args.KeyMask) + (ulong)((long)b * tk * es);
            for (int g0 = 0; g0 < kvHeads; g0 += chunk)
            {
                int count = Math.Min(chunk, kvHeads - g0);
                for (int r = 0; r < rep; r++)
                {
                    long qHead = ((long)g0 * rep + r) * d * es, kvHead = (long)g0 * d * es;
                    // Column-major: Sᵀ [tk × tq] = K_g [d × tk]ᵀ · Q_h [d × tq], i.e. row-major S [tq, tk].
                    calls.GemmStridedBatchedEx(Cublas.OpT, Cublas.OpN, tk, tq, d,
                        args.Scale, kb + (ulong)kvHead, type, kvWidth, d, qb + (ulong)qHead, type, qWidth, (long)rep * d,
                        0, scores, 0 /* CUDA_R_32F */, tk, block, count);
                    LaunchRows("softmax_rows", count * (long)tq, scores, probs, mask, count * (long)tq, tk,
                        tq, args.Causal ? 1 : 0, biasTable, buckets, heads, g0 * rep + r, rep);
                    // Column-major: Oᵀ [d × tq] = V_g [d × tk] · Pᵀ [tk × tq], written into head h's channels.
                    calls.GemmStridedBatchedEx(Cublas.OpN, Cublas.OpN, d, tq, tk,
                        1, vb + (ulong)kvHead, type, kvWidth, d, probs, type, tk, block,
                        0, ob + (ulong)qHead, type, qWidth, (long)rep * d, count);
                }
            }
        }
        FreeScratch(scores);
        FreeScratch(probs);

        if (args.Output2 is { } output2)
        {
            Launch("split_rows", (long)batch * tq * qWidth, o, Ptr(args.Output1), args.Output1.Dim(1), Ptr(output2), output2.Dim(1), batch, qWidth);
            FreeScratch(o);
        }
        foreach (var segment in new[] { q, k, v })
            if (segment.Owned) FreeScratch(segment.Pointer);
    }

    /// <summary>Total rows of one or two [B, rows, width] segments.</summary>
    static int Rows(Tensor first, Tensor? second, int batch, int width, string what)
    {
        int rows = 0;
        foreach (var segment in second is null ? [first] : new[] { first, second })
        {
            Require(segment.Rank == 3 && segment.Dim(0) == batch && segment.Dim(2) == width, $"{what} segment {segment} is not [{batch}, rows, {width}]");
            rows += segment.Dim(1);
        }
        return rows;
    }

    /// <summary>A single segment as is; two segments concatenated per batch row into stream-ordered scratch.</summary>
    (ulong Pointer, bool Owned) Contiguous(Tensor first, Tensor? second, int batch, int width)
    {
        if (second is null) return (Ptr(first), false);
        int rows = first.Dim(1) + second.Dim(1);
        var pointer = Scratch((long)batch * rows * width * ElementSize);
        Launch("concat_rows", (long)batch * rows * width, Ptr(first), first.Dim(1), Ptr(second), second.Dim(1), pointer, batch, width);
        return (pointer, true);
    }
}
