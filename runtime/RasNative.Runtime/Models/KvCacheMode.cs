namespace RasNative.Runtime.Models;

/// <summary>What a forward does with the per-layer image K/V cache (RAS, spec §8.1).</summary>
public enum KvCacheMode
{
    /// <summary>Plain forward; the cache is neither read nor written.</summary>
    None,

    /// <summary>Dense forward that stores every image token's K/V (step start−1 and reset steps).</summary>
    Store,

    /// <summary>Subset forward: active rows are overwritten, attention reads the whole cached image.</summary>
    Update,
}
