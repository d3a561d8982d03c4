namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// Attention of the query sequence [Q1; Q2] against the key/value sequences [K1; K2] and [V1; V2], written to
/// [O1; O2] at the queries' positions: O = softmax((q·Scale)·kᵀ + bias + mask)·v per batch and head, where query
/// head h reads kv head h / (Heads / KvHeads). The second segments may have zero rows.
/// </summary>
public unsafe ref struct AttentionProblem
{
    public required int Batch { get; init; }

    public required int Heads { get; init; }

    public required int KvHeads { get; init; }

    public required int HeadDim { get; init; }

    public required float Scale { get; init; }

    public required AttentionSegment Q1 { get; init; }

    public AttentionSegment Q2 { get; init; }

    public required AttentionSegment K1 { get; init; }

    public AttentionSegment K2 { get; init; }

    /// <summary>Same rows as <see cref="K1"/>.</summary>
    public required AttentionSegment V1 { get; init; }

    /// <summary>Same rows as <see cref="K2"/>.</summary>
    public AttentionSegment V2 { get; init; }

    /// <summary>Same rows as <see cref="Q1"/>.</summary>
    public required AttentionSegment O1 { get; init; }

    /// <summary>Same rows as <see cref="Q2"/>.</summary>
    public AttentionSegment O2 { get; init; }

    /// <summary>
    /// Null for no mask; else KeyMask[b·KeyMaskBatchStride + j] over the concatenated keys j of [K1; K2]:
    /// 0 excludes key j (−∞ added to its logit, as PyTorch adds a boolean mask), anything else attends. A query with
    /// every key excluded gets zeros (PyTorch's safe softmax). Non-finite values propagate as in PyTorch: a NaN logit
    /// (a NaN key, masked or not) makes its query's row NaN, a NaN value makes its channel NaN for every query.
    /// </summary>
    public float* KeyMask { get; init; }

    public long KeyMaskBatchStride { get; init; }

    /// <summary>Excludes key j from query i when j &gt; i (positions over the concatenated segments).</summary>
    public bool Causal { get; init; }

    /// <summary>
    /// Null for no bias; else a [buckets, Heads] table: the score of query i, key j in head h gains
    /// PositionBias[BiasBuckets[j − i + queries − 1]·Heads + h] (queries = Q1.Rows + Q2.Rows).
    /// </summary>
    public float* PositionBias { get; init; }

    /// <summary>queries + keys − 1 bucket ids, one per relative position j − i; required with <see cref="PositionBias"/>.</summary>
    public int* BiasBuckets { get; init; }
}
