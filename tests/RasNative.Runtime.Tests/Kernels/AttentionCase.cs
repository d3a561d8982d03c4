using RasNative.Runtime.Cpu.Kernels;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

/// <summary>
/// One attention problem on random data: every segment in its own guarded buffer with optional padding after
/// each row and each batch, run through <see cref="CpuAttention"/> and checked against a double-precision
/// materialised softmax with PyTorch's semantics (the mask added as −∞, safe softmax for fully masked rows, NaN and
/// ∞ propagating through the arithmetic). Output padding must keep the sentinel.
/// </summary>
internal sealed unsafe record AttentionCase
{
    public int Batch { get; init; } = 1;
    public int Heads { get; init; } = 1;
    public int KvHeads { get; init; } = 1;
    public int HeadDim { get; init; } = 8;
    public int Q1 { get; init; }
    public int Q2 { get; init; }
    public int K1 { get; init; }
    public int K2 { get; init; }
    public int RowPadding { get; init; }
    public int BatchPadding { get; init; }

    /// <summary>(batch, concatenated key) → attend; null for no mask.</summary>
    public Func<int, int, bool>? Attends { get; init; }

    /// <summary>Values written over the random inputs: 'q' / 'k' / 'v', batch, concatenated row, channel, value.</summary>
    public (char Input, int Batch, int Row, int Channel, float Value)[] Poison { get; init; } = [];

    /// <summary>Key j &gt; query i excluded (CLIP's causal mask).</summary>
    public bool Causal { get; init; }

    /// <summary>Buckets of a random [buckets, heads] relative-position bias table (T5); 0 for none.</summary>
    public int BiasBuckets { get; init; }

    int Keys => K1 + K2;

    /// <summary>Runs and checks the case, returning the output segments' buffers for bitwise comparisons.</summary>
    public float[] Check(SimdKind kind, int seed = 1)
    {
        var random = new Random(seed);
        int qWidth = Heads * HeadDim, kvWidth = KvHeads * HeadDim;
        using Segment q1 = new(this, Q1, qWidth, random), q2 = new(this, Q2, qWidth, random);
        using Segment k1 = new(this, K1, kvWidth, random), k2 = new(this, K2, kvWidth, random);
        using Segment v1 = new(this, K1, kvWidth, random), v2 = new(this, K2, kvWidth, random);
        using Segment o1 = new(this, Q1, qWidth, null), o2 = new(this, Q2, qWidth, null);
        foreach (var (input, b, row, channel, value) in Poison)
        {
            Assert.InRange(channel, 0, (input == 'q' ? qWidth : kvWidth) - 1);
            var (first, second) = input switch { 'q' => (q1, q2), 'k' => (k1, k2), _ => (v1, v2) };
            KeyRow([first, second], b, row)[channel] = value;
        }
        int maskStride = Keys + 3;
        using var mask = new GuardedBuffer((long)Batch * maskStride);
        for (int b = 0; b < Batch; b++)
            for (int j = 0; j < Keys; j++)
                mask.Data[b * maskStride + j] = Attends == null || Attends(b, j) ? (j % 2 == 0 ? 1f : 0.5f) : 0f;
        float scale = 1f / MathF.Sqrt(HeadDim);
        int queries = Q1 + Q2;
        var biasTable = new float[Math.Max(1, BiasBuckets * Heads)];
        var bucketIds = new int[queries + Keys - 1];
        for (int i = 0; i < biasTable.Length; i++) biasTable[i] = (float)(random.NextDouble() * 4 - 2);
        for (int i = 0; i < bucketIds.Length; i++) bucketIds[i] = BiasBuckets == 0 ? 0 : random.Next(BiasBuckets);

        fixed (float* table = biasTable)
        fixed (int* buckets = bucketIds)
        {
            var problem = new AttentionProblem
            {
                Batch = Batch, Heads = Heads, KvHeads = KvHeads, HeadDim = HeadDim, Scale = scale,
                Q1 = q1.View, Q2 = q2.View, K1 = k1.View, K2 = k2.View, V1 = v1.View, V2 = v2.View, O1 = o1.View, O2 = o2.View,
                KeyMask = Attends == null ? null : mask.Data,
                KeyMaskBatchStride = maskStride,
                Causal = Causal,
                PositionBias = BiasBuckets == 0 ? null : table,
                BiasBuckets = BiasBuckets == 0 ? null : buckets,
            };
            CpuAttention.Run(problem, kind);
        }

        foreach (var segment in new[] { q1, q2, k1, k2, v1, v2, o1, o2 })
            segment.Buffer.AssertGuardsIntact();
        mask.AssertGuardsIntact();

        var expected = Reference(scale, [q1, q2], [k1, k2], [v1, v2], BiasBuckets == 0 ? null : (biasTable, bucketIds));
        double maxAbs = expected.Values.Where(double.IsFinite).DefaultIfEmpty(0).Max(Math.Abs);
        double tolerance = 1e-5 * maxAbs + 1e-6;
        var written = new HashSet<(Segment, long)>();
        foreach (var ((segment, offset), value) in expected)
        {
            written.Add((segment == q1 ? o1 : o2, offset));
            float actual = (segment == q1 ? o1 : o2).Buffer.Data[offset];
            bool close = double.IsFinite(value) ? Math.Abs(actual - value) <= tolerance : double.IsNaN(value) ? float.IsNaN(actual) : actual == value;
            Assert.True(close, $"{kind} {this}: output at {offset} = {actual:g9}, expected {value:g9}");
        }
        foreach (var output in new[] { o1, o2 })
            for (long i = 0; i < output.Buffer.Length; i++)
                Assert.True(written.Contains((output, i)) || GuardedBuffer.IsSentinel(output.Buffer.Data[i]), $"{kind} {this}: padding at {i} overwritten");
        return [.. o1.Buffer.Span, .. o2.Buffer.Span];
    }

    /// <summary>
    /// Output values keyed by (query segment, offset in its buffer), from an explicit softmax in double as PyTorch's
    /// scaled_dot_product_attention computes it: logits + (0 or −∞), softmax (all-zero weights where every logit is
    /// −∞), weights · values over every key; causally hidden keys (CLIP) get −∞ outright, a relative-position bias
    /// (T5) is added to the logit.
    /// </summary>
    Dictionary<(Segment, long), double> Reference(float scale, Segment[] queries, Segment[] keys, Segment[] values, (float[] Table, int[] Buckets)? bias)
    {
        int queryCount = Q1 + Q2;
        var result = new Dictionary<(Segment, long), double>();
        var logits = new double[Keys];
        for (int b = 0; b < Batch; b++)
            for (int h = 0; h < Heads; h++)
            {
                int kvHead = h / (Heads / KvHeads);
                foreach (var query in queries)
                    for (int i = 0; i < query.Rows; i++)
                    {
                        int position = query == queries[0] ? i : queries[0].Rows + i;
                        float* q = query.Row(b, i) + h * HeadDim;
                        double max = double.NegativeInfinity;
                        for (int j = 0; j < Keys; j++)
                        {
                            float* k = KeyRow(keys, b, j) + kvHead * HeadDim;
                            double dot = 0;
                            for (int d = 0; d < HeadDim; d++)
                                dot += (double)q[d] * k[d];
                            double added = bias is { } bt ? bt.Table[bt.Buckets[j - position + queryCount - 1] * Heads + h] : 0;
                            logits[j] = Causal && j > position ? double.NegativeInfinity
                                : dot * scale + added + (Attends == null || Attends(b, j) ? 0 : double.NegativeInfinity);
                            max = Math.Max(max, logits[j]);
                        }
                        bool allMasked = logits.All(l => l == double.NegativeInfinity);
                        double sum = 0;
                        for (int j = 0; j < Keys; j++)
                            sum += allMasked ? 0 : Math.Exp(logits[j] - max);
                        for (int d = 0; d < HeadDim; d++)
                        {
                            double o = 0;
                            for (int j = 0; j < Keys; j++)
                                o += (allMasked ? 0 : Math.Exp(logits[j] - max) / sum) * KeyRow(values, b, j)[kvHead * HeadDim + d];
                            long offset = query.Row(b, i) + h * HeadDim + d - query.Buffer.Data;
                            result[(query, offset)] = o;
                        }
                    }
            }
        return result;
    }

    static float* KeyRow(Segment[] segments, int batch, int row) =>
        row < segments[0].Rows ? segments[0].Row(batch, row) : segments[1].Row(batch, row - segments[0].Rows);

    sealed class Segment : IDisposable
    {
        public Segment(AttentionCase owner, int rows, int width, Random? random)
        {
            Rows = rows;
            RowStride = width + owner.RowPadding;
            BatchStride = (long)Rows * RowStride + owner.BatchPadding;
            Buffer = new GuardedBuffer(owner.Batch * BatchStride);
            for (int b = 0; b < owner.Batch && random != null; b++)
                for (int r = 0; r < Rows; r++)
                    for (int c = 0; c < width; c++)
                        Row(b, r)[c] = (float)(random.NextDouble() * 2 - 1);
        }

        public int Rows { get; }
        public int RowStride { get; }
        public long BatchStride { get; }
        public GuardedBuffer Buffer { get; }
        public AttentionSegment View => new(Buffer.Data, Rows, BatchStride, RowStride);

        public float* Row(int batch, int row) => Buffer.Data + batch * BatchStride + (long)row * RowStride;

        public void Dispose() => Buffer.Dispose();
    }
}
