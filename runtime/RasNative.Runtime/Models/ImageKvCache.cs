using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// A model's per-layer image K/V caches and their RAS protocol (spec §8.1): a <see cref="KvCacheMode.Store"/>
/// forward (step start − 1 and reset steps) copies every image token's keys/values in; an
/// <see cref="KvCacheMode.Update"/> forward overwrites the active tokens' rows and attends to the whole cached
/// image. One slot per cached attention layer, [B, P, width]; a null width is a layer without a cache.
/// </summary>
internal sealed class ImageKvCache(IBackend backend, int?[] slotWidths)
{
    (Tensor Keys, Tensor Values)?[] slots = [];
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
                slots = [.. slotWidths.Select(w => w is { } width
                    ? ((Tensor, Tensor)?)(backend.Allocate(batch, patches, width), backend.Allocate(batch, patches, width))
                    : null)];
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

    /// <summary>The image keys/values a layer attends to: fresh ones, or the cache after this step's store/update.</summary>
    public (Tensor Keys, Tensor Values) Through(int slot, Tensor k, Tensor v, KvCacheMode mode, IndexList? activePatches)
    {
        if (mode == KvCacheMode.None) return (k, v);
        var (keys, values) = slots[slot] ?? throw new InvalidOperationException($"layer slot {slot} has no K/V cache");
        if (mode == KvCacheMode.Store)
        {
            backend.Copy(k, keys);
            backend.Copy(v, values);
            return (k, v);
        }
        backend.ScatterRows(k, activePatches!, keys);
        backend.ScatterRows(v, activePatches!, values);
        return (keys, values);
    }
}
