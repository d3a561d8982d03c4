using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// Flash attention (see <see cref="AttentionProblem"/>), one task per (batch, head, tile of 64 queries).
/// Queries live in vector lanes: the tile is held transposed, Qᵀ[channel, query] pre-scaled, and each key
/// tile costs two <see cref="MicroKernel"/> passes, Sᵀ = K·Qᵀ (keys broadcast from their rows) and
/// Oᵀ += Vᵀ·P (value channels broadcast), so neither K nor V is ever copied or transposed and any head dim
/// works without a remainder loop. At most 64 × 64 scores exist at once; a softmax running max and sum per
/// query rescale the accumulator. Each task's arithmetic is fixed, so results are deterministic.
/// </summary>
public static unsafe class CpuAttention
{
    // A multiple of every width's two-vector panel (up to 32 lanes with Vector512).
    const int QueryTile = 64;
    const int KeyTile = 64;
    const long ParallelThreshold = 1 << 20;

    public static void Run(in AttentionProblem problem) => Run(problem, SimdKinds.Best);

    internal static void Run(in AttentionProblem problem, SimdKind kind)
    {
        Validate(problem);
        int queries = problem.Q1.Rows + problem.Q2.Rows;
        int keys = problem.K1.Rows + problem.K2.Rows;
        if (problem.Batch == 0 || queries == 0)
            return;

        var job = new AttentionJob
        {
            Q1 = problem.Q1, Q2 = problem.Q2, K1 = problem.K1, K2 = problem.K2,
            V1 = problem.V1, V2 = problem.V2, O1 = problem.O1, O2 = problem.O2,
            KeyMask = problem.KeyMask,
            KeyMaskBatchStride = problem.KeyMaskBatchStride,
            Causal = problem.Causal,
            PositionBias = problem.PositionBias,
            BiasBuckets = problem.BiasBuckets,
            Heads = problem.Heads,
            HeadsPerKvHead = problem.Heads / problem.KvHeads,
            HeadDim = problem.HeadDim,
            Scale = problem.Scale,
            Queries = queries,
            QueryTiles = (queries + QueryTile - 1) / QueryTile,
        };
        delegate*<void*, int, void> body = kind switch
        {
            SimdKind.Vector512 => &RunTask<Simd512, Vector512<float>>,
            SimdKind.Vector256 => &RunTask<Simd256, Vector256<float>>,
            _ => &RunTask<Simd128, Vector128<float>>,
        };
        int tasks = problem.Batch * problem.Heads * job.QueryTiles;
        if ((long)problem.Batch * problem.Heads * queries * keys * problem.HeadDim >= ParallelThreshold)
            KernelParallel.For(tasks, &job, body);
        else
            for (int t = 0; t < tasks; t++)
                body(&job, t);
    }

    static void Validate(in AttentionProblem p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(p.Batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(p.Heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(p.KvHeads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(p.HeadDim, 1);
        if (p.Heads % p.KvHeads != 0)
            throw new ArgumentException($"{p.Heads} heads are not a multiple of {p.KvHeads} kv heads");
        if (p.V1.Rows != p.K1.Rows || p.V2.Rows != p.K2.Rows)
            throw new ArgumentException("value segments must have the key segments' rows");
        if (p.O1.Rows != p.Q1.Rows || p.O2.Rows != p.Q2.Rows)
            throw new ArgumentException("output segments must have the query segments' rows");
        if ((p.PositionBias == null) != (p.BiasBuckets == null))
            throw new ArgumentException("a position bias needs both its table and its bucket ids");
        if (p.KeyMask != null && p.KeyMaskBatchStride < p.K1.Rows + p.K2.Rows)
            throw new ArgumentException($"a key mask batch stride of {p.KeyMaskBatchStride} is shorter than the {p.K1.Rows + p.K2.Rows} keys");
        int queryWidth = p.Heads * p.HeadDim, kvWidth = p.KvHeads * p.HeadDim;
        Layout(p.Q1, queryWidth, p.Batch);
        Layout(p.Q2, queryWidth, p.Batch);
        Layout(p.O1, queryWidth, p.Batch);
        Layout(p.O2, queryWidth, p.Batch);
        Layout(p.K1, kvWidth, p.Batch);
        Layout(p.K2, kvWidth, p.Batch);
        Layout(p.V1, kvWidth, p.Batch);
        Layout(p.V2, kvWidth, p.Batch);
    }

    /// <summary>Rows of a segment hold all heads and do not overlap each other or the next batch's rows.</summary>
    static void Layout(in AttentionSegment s, int width, int batch)
    {
        if (s.Rows < 0 || (s.Rows > 0 && s.Data == null))
            throw new ArgumentException("a segment with rows needs data and a non-negative row count");
        if (s.Rows > 0 && (s.RowStride < width || (batch > 1 && s.BatchStride < (long)s.Rows * s.RowStride)))
            throw new ArgumentException($"a segment of {s.Rows} rows with strides {s.RowStride} / {s.BatchStride} cannot hold rows of {width} floats");
    }

    struct AttentionJob
    {
        public AttentionSegment Q1, Q2, K1, K2, V1, V2, O1, O2;
        public float* KeyMask;
        public long KeyMaskBatchStride;
        public bool Causal;
        public float* PositionBias;
        public int* BiasBuckets;
        public int Heads, HeadsPerKvHead, HeadDim, Queries, QueryTiles;
        public float Scale;
    }

    /// <summary>Per-task working set, carved from this thread's scratch.</summary>
    readonly struct TaskScratch
    {
        public TaskScratch(int headDim)
        {
            QueryT = ThreadScratch.AttentionTiles((2 * headDim + KeyTile + 2) * QueryTile);
            OutputT = QueryT + headDim * QueryTile;
            Scores = OutputT + headDim * QueryTile;
            RunningMax = Scores + KeyTile * QueryTile;
            RunningSum = RunningMax + QueryTile;
        }

        public float* QueryT { get; }
        public float* OutputT { get; }
        public float* Scores { get; }
        public float* RunningMax { get; }
        public float* RunningSum { get; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RunTask<TS, TV>(void* context, int task)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        var job = (AttentionJob*)context;
        int q0 = task % job->QueryTiles * QueryTile;
        int batch = task / job->QueryTiles / job->Heads;
        int head = task / job->QueryTiles % job->Heads;
        int headDim = job->HeadDim;
        int queries = Math.Min(QueryTile, job->Queries - q0);
        int panel = 2 * TS.Width;
        int lanes = (queries + panel - 1) / panel * panel;
        var tile = new TaskScratch(headDim);

        for (int i = 0; i < lanes; i++)
        {
            float* q = i < queries ? QueryRow(job->Q1, job->Q2, batch, q0 + i) + head * headDim : null;
            for (int d = 0; d < headDim; d++)
                tile.QueryT[d * QueryTile + i] = q != null ? q[d] * job->Scale : 0f;
        }
        new Span<float>(tile.OutputT, headDim * QueryTile).Clear();
        new Span<float>(tile.RunningMax, QueryTile).Fill(float.NegativeInfinity);
        new Span<float>(tile.RunningSum, QueryTile).Clear();

        int kvOffset = head / job->HeadsPerKvHead * headDim;
        var queryTile = new QueryTileSpan(head, q0, queries, lanes);
        KeySegment<TS, TV>(job, tile, job->K1, job->V1, 0, batch, kvOffset, queryTile);
        KeySegment<TS, TV>(job, tile, job->K2, job->V2, job->K1.Rows, batch, kvOffset, queryTile);

        // A query whose keys are all masked has sum 0 and an accumulator of ±0 (PyTorch's safe softmax gives it zero
        // weights): + 0 makes that +0, and keeps a NaN or ∞ that 0·v carried in from a masked value, as PyTorch does.
        // Any NaN score makes the sum NaN, so the whole row comes out NaN.
        for (int i = 0; i < queries; i++)
        {
            float* o = QueryRow(job->O1, job->O2, batch, q0 + i) + head * headDim;
            float sum = tile.RunningSum[i];
            for (int d = 0; d < headDim; d++)
                o[d] = sum == 0f ? tile.OutputT[d * QueryTile + i] + 0f : tile.OutputT[d * QueryTile + i] / sum;
        }
    }

    /// <summary>Whether the kv head's keys and values of rows [j0, j0 + keys) are all finite (a masked tile of them can be skipped).</summary>
    static bool Finite(in AttentionSegment k, in AttentionSegment v, int batch, int j0, int keys, int kvOffset, int headDim)
    {
        for (int j = j0; j < j0 + keys; j++)
            if (!TensorPrimitives.IsFiniteAll(new ReadOnlySpan<float>(k.Row(batch, j) + kvOffset, headDim)) ||
                !TensorPrimitives.IsFiniteAll(new ReadOnlySpan<float>(v.Row(batch, j) + kvOffset, headDim)))
                return false;
        return true;
    }

    static float* QueryRow(in AttentionSegment first, in AttentionSegment second, int batch, int row) =>
        row < first.Rows ? first.Row(batch, row) : second.Row(batch, row - first.Rows);

    /// <summary>The task's head and its queries: q0 … q0 + Count − 1 of the concatenated sequence, in Lanes vector lanes.</summary>
    readonly record struct QueryTileSpan(int Head, int First, int Count, int Lanes);

    /// <summary>Folds one key/value segment into the tile, KeyTile keys at a time; keyBase is the segment's first key position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void KeySegment<TS, TV>(AttentionJob* job, in TaskScratch tile, in AttentionSegment k, in AttentionSegment v, int keyBase, int batch, int kvOffset,
        QueryTileSpan queries)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        int headDim = job->HeadDim, lanes = queries.Lanes;
        int panel = 2 * TS.Width;
        for (int j0 = 0; j0 < k.Rows; j0 += KeyTile)
        {
            int keys = Math.Min(KeyTile, k.Rows - j0);
            if (job->Causal && keyBase + j0 > queries.First + queries.Count - 1)
                break; // every later key follows every query of the tile
            float* mask = job->KeyMask != null ? job->KeyMask + batch * job->KeyMaskBatchStride + keyBase + j0 : null;
            if (mask != null && !new ReadOnlySpan<float>(mask, keys).ContainsAnyExcept(0f) && Finite(k, v, batch, j0, keys, kvOffset, headDim))
                continue; // every key masked (caption padding) and finite: the tile changes nothing

            float* keyRows = k.Row(batch, j0) + kvOffset;
            for (int c = 0; c < lanes; c += panel)
                MicroKernel.Rows<TS, TV>(keys, keyRows, k.RowStride, 1, tile.QueryT + c, QueryTile, headDim, tile.Scores + c, QueryTile, TileStore.Overwrite);
            if (job->PositionBias != null || job->Causal)
                AdjustScores(job, tile.Scores, keyBase + j0, keys, queries);
            // The mask is added as −∞, as PyTorch adds a boolean mask, so a NaN score stays NaN even where masked.
            for (int j = 0; j < keys && mask != null; j++)
                if (mask[j] == 0f)
                {
                    var scores = new Span<float>(tile.Scores + j * QueryTile, lanes);
                    TensorPrimitives.Add(scores, float.NegativeInfinity, scores);
                }

            OnlineSoftmax.Update<TS, TV>(tile.Scores, keys, lanes, QueryTile, tile.RunningMax, tile.RunningSum, tile.OutputT, headDim);

            float* valueRows = v.Row(batch, j0) + kvOffset;
            for (int c = 0; c < lanes; c += panel)
                MicroKernel.Rows<TS, TV>(headDim, valueRows, 1, v.RowStride, tile.Scores + c, QueryTile, keys, tile.OutputT + c, QueryTile, TileStore.AddToOutput);
        }
    }

    /// <summary>
    /// Adds the relative-position bias (one add per score, after the product, as torch adds position_bias) and
    /// excludes causally hidden keys, for the real queries of the tile (padding lanes never reach the output).
    /// </summary>
    static void AdjustScores(AttentionJob* job, float* scores, int firstKey, int keys, QueryTileSpan queries)
    {
        float* table = job->PositionBias;
        int* buckets = job->BiasBuckets;
        for (int j = 0; j < keys; j++)
        {
            float* row = scores + j * QueryTile;
            int key = firstKey + j;
            for (int i = 0; i < queries.Count; i++)
            {
                int query = queries.First + i;
                if (job->Causal && key > query)
                    row[i] = float.NegativeInfinity;
                else if (table != null)
                    row[i] += table[(long)buckets[key - query + job->Queries - 1] * job->Heads + queries.Head];
            }
        }
    }
}
