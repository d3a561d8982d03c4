using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Backends;

/// <summary>
/// softmax(Q·Kᵀ·scale + bias + mask)·V per batch and head, where the query, key and value sequences are each the
/// concatenation of up to two token segments (image tokens first, then text tokens, as diffusers' joint
/// attention concatenates them). Every segment is [B, rows, heads·headDim] with head h in channels
/// h·headDim … h·headDim+headDim−1; keys/values are [B, rows, kvHeads·headDim] and query head h reads
/// kv head h / (heads / kvHeads) (grouped-query attention, repeat-interleave order).
/// Under RAS the first key/value segment is the layer's full image K/V cache while the first query
/// segment holds only the active tokens.
/// </summary>
public sealed record AttentionArgs
{
    public required Tensor Query1 { get; init; }
    public Tensor? Query2 { get; init; }
    public required Tensor Key1 { get; init; }
    public Tensor? Key2 { get; init; }
    public required Tensor Value1 { get; init; }
    public Tensor? Value2 { get; init; }
    public required Tensor Output1 { get; init; }
    public Tensor? Output2 { get; init; }
    public required int Heads { get; init; }
    public int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required float Scale { get; init; }

    /// <summary>Optional [B, total keys] tensor: 1 = attend, 0 = masked (Lumina caption padding, CLIP/T5 attention_mask).</summary>
    public Tensor? KeyMask { get; init; }

    /// <summary>Masks every key after the query's own position (key j &gt; query i over the concatenated segments): CLIP's causal mask.</summary>
    public bool Causal { get; init; }

    /// <summary>Optional bias added to the scores before the softmax (T5's relative positions).</summary>
    public RelativePositionBias? PositionBias { get; init; }

    public int EffectiveKvHeads => KvHeads == 0 ? Heads : KvHeads;
}
