using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// A model's per-layer image K/V caches and their RAS protocol (spec §8.1): a <see cref="KvCacheMode.Store"/>
/// forward (step start − 1 and reset steps) copies every image token's keys/values in; an
/// <see cref="KvCacheMode.Update"/> forward overwrites the active tokens' rows and attends to the whole cached
/// image. One slot per cached attention layer, keys then values in one buffer [2, B, P, width], like the stacked
/// k, v parts of the layer's projection [2, B, n, width], so one copy or one row scatter (over 2·B batch rows)
/// moves both; a null width is a layer without a cache.
/// </summary>
internal sealed class ImageKvCache(IBackend backend, int?[] slotWidths)
{
    Tensor?[] slots = [];
    int batch = -1, patches = -1;
    bool stored;

    /// <summary>At the start of a forward: allocates on a store of a new shape, refuses an update with nothing stored.</summary>
    public void Begin(KvCacheMode mode, int forwardBatch, int forwardPatches)
    {
        bool sameShape = batch == forwardBatch && patches == forwardPatches;
        switch (mode)
        {
            case KvCacheMode.Store when !sameShape:
                (batch, patches) = (forwardBatch, forwardPatches);
                slots = [.. slotWidths.Select(w => w is { } width ? backend.Allocate(2, batch, patches, width) : null)];
                stored = true;
                break;
            case KvCacheMode.Store:
                stored = true;
                break;
            case KvCacheMode.Update when !stored || !sameShape:
                throw new InvalidOperationException("a RAS forward needs a K/V cache stored by a dense forward of the same batch and grid");
        }
    }

    /// <summary>Elements the caches of these slots hold for <paramref name="batch"/> × <paramref name="patches"/> image tokens (keys and values).</summary>
    public static long Elements(int?[] slotWidths, int batch, int patches) =>
        checked(2L * batch * patches * slotWidths.Sum(w => (long)(w ?? 0)));

    /// <summary>Forgets the stored caches (a new run starts from dense steps).</summary>
    public void Reset() => stored = false;

    /// <summary>
    /// The image keys/values a layer attends to: the fresh ones of <paramref name="keysValues"/> [2, B, n, width] (keys,
    /// then values), or the cache after this step's store/update.
    /// </summary>
    public (Tensor Keys, Tensor Values) Through(int slot, Tensor keysValues, KvCacheMode mode, IndexList? activePatches)
    {
        if (mode == KvCacheMode.None) return Halves(keysValues);
        var cache = slots[slot] ?? throw new InvalidOperationException($"layer slot {slot} has no K/V cache");
        if (mode == KvCacheMode.Store)
        {
            backend.Copy(keysValues, cache);
            return Halves(keysValues);
        }
        int rows = 2 * keysValues.Dim(1), width = keysValues.Dim(3);
        backend.ScatterRows(keysValues.View(rows, keysValues.Dim(2), width), activePatches!, cache.View(rows, cache.Dim(2), width));
        return Halves(cache);
    }

    static (Tensor Keys, Tensor Values) Halves(Tensor stacked)
    {
        var halves = StackedParts.Split(stacked, 2, stacked.Shape[1..]);
        return (halves[0], halves[1]);
    }
}
