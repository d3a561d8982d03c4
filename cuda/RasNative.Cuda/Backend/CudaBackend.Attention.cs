using RasNative.Cuda.Native;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    /// <summary>Upper bound on one float32 score block [kv heads in a call × Tq × Tk], to bound scratch memory.</summary>
    const long ScoreScratchBytes = 256L << 20;

    /// <summary>
    /// Correct-first attention: segments are concatenated into contiguous Q/K/V, then per batch row and per
    /// query head within a GQA group, over a chunk of kv heads: S = scale·Q·Kᵀ (strided-batched GEMM into
    /// float32), P = softmax(S + position bias) with the key and causal masks (kernel; the bias is read from its
    /// [buckets, heads] table per score, never materialised), O = P·V (strided-batched GEMM), and O is split
    /// back into the output segments. Query head h = g·rep + r reads kv head g, so fixing r makes the query
    /// heads of a chunk evenly strided (rep·headDim) and one batched GEMM covers them.
    /// </summary>
    public void Attention(AttentionArgs args)
    {
        using var _ = Op("attention");
        int batch = args.Query1.Dim(0), heads = args.Heads, kvHeads = args.EffectiveKvHeads, d = args.HeadDim;
        Require(heads % kvHeads == 0, $"{heads} heads not a multiple of {kvHeads} kv heads");
        int rep = heads / kvHeads, qWidth = heads * d, kvWidth = kvHeads * d;
        int tq = Rows(args.Query1, args.Query2, batch, qWidth, "query");
        int tk = Rows(args.Key1, args.Key2, batch, kvWidth, "key");
        Require(Rows(args.Value1, args.Value2, batch, kvWidth, "value") == tk, "value rows differ from key rows");
        Require(Rows(args.Output1, args.Output2, batch, qWidth, "output") == tq, "output rows differ from query rows");
        Require(args.KeyMask is null || args.KeyMask.Length == (long)batch * tk, $"key mask {args.KeyMask} for [{batch}, {tk}]");
        var bias = args.PositionBias;
        Require(bias is null || (bias.Table.Rank == 2 && bias.Table.Dim(1) == heads && bias.Buckets.Count == tq + tk - 1),
            $"position bias table {bias?.Table} for {heads} heads with {bias?.Buckets.Count} bucket ids for {tq} queries and {tk} keys");
        ulong biasTable = bias is null ? 0UL : Ptr(bias.Table), buckets = bias is null ? 0UL : Ptr(bias.Buckets);
        if (batch == 0 || tq == 0) return;

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
