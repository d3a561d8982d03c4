using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Backends;

/// <summary>
/// An additive attention bias that depends only on the relative position of key and query (T5): the score of
/// query i and key j in head h gains Table[Buckets[j − i + queries − 1], h]. Table is [buckets, heads] (the
/// checkpoint's relative_attention_bias.weight as stored); Buckets holds one bucket id per relative position
/// j − i from −(queries − 1) to keys − 1, i.e. queries + keys − 1 ids, computed on the host. Positions count over
/// the concatenated query and key segments. The [heads, queries, keys] bias is never materialised.
/// </summary>
public sealed record RelativePositionBias(Tensor Table, IndexList Buckets);
