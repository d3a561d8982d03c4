using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// What a patch transformer's forward does before its first op, shared by SD3 and Lumina-Next: the tokens present
/// (the whole grid, or under RAS the active patches, which come exactly with <see cref="KvCacheMode.Update"/> and are
/// uploaded into a reused index buffer), the activation arena grown to hold every call's <see cref="TokenShape"/>, and
/// the start of the image K/V cache protocol. <see cref="Elements"/> sizes the same buffers without memory.
/// </summary>
internal sealed class ForwardSetup<TArena>(IBackend backend, int?[] cacheSlotWidths, Func<ITensorAllocator, TokenShape, TArena> createArena)
    where TArena : class, IActivationArena
{
    readonly IndexBuffer activeIds = new(backend);
    TArena? arena;

    /// <summary>The arena of the current forward (after <see cref="Begin"/>).</summary>
    public TArena Arena => arena ?? throw new InvalidOperationException("no forward has begun");

    public ImageKvCache KvCache { get; } = new(backend, cacheSlotWidths);

    /// <summary>
    /// Starts a forward over <paramref name="grid"/> with <paramref name="textTokens"/> text tokens; returns the image
    /// tokens it computes and, under RAS, the active patch ids on the backend (null for the dense grid).
    /// </summary>
    public (int Tokens, IndexList? Active) Begin(LatentGrid grid, int textTokens, int[]? activePatches, KvCacheMode cacheMode)
    {
        if ((activePatches != null) != (cacheMode == KvCacheMode.Update))
            throw new ArgumentException("a patch subset runs exactly with KvCacheMode.Update");
        foreach (var id in activePatches ?? [])
            if ((uint)id >= (uint)grid.Patches)
                throw new ArgumentOutOfRangeException(nameof(activePatches), $"patch id {id} outside the {grid.Patches}-patch grid");

        var shape = new TokenShape(grid.Batch, activePatches?.Length ?? grid.Patches, textTokens);
        if (arena == null || !shape.FitsIn(arena.Capacity))
            arena = createArena(backend, arena == null ? shape : shape.Union(arena.Capacity));
        KvCache.Begin(cacheMode, grid.Batch, grid.Patches);
        return (shape.ImageTokens, activePatches == null ? null : activeIds.Write(activePatches));
    }

    /// <summary>
    /// Elements of the buffers a forward of <paramref name="shape"/> allocates: the arena and, for RAS runs, the K/V
    /// caches; long.MaxValue when the shape does not even fit the arithmetic.
    /// </summary>
    public static long Elements(TokenShape shape, bool rasCache, int?[] cacheSlotWidths, Func<ITensorAllocator, TokenShape, TArena> createArena)
    {
        var plan = new MemoryPlan();
        try
        {
            _ = createArena(plan, shape);
            return checked(plan.Elements + (rasCache ? ImageKvCache.Elements(cacheSlotWidths, shape.Batch, shape.ImageTokens) : 0));
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }
}
