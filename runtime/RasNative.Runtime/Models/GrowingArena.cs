namespace RasNative.Runtime.Models;

/// <summary>
/// The start of every model's forward: its activation arena, planned for the largest shape seen so far. A call whose
/// shape fits reuses it; a larger one replaces it with an arena for the union of both shapes (the old one dropped
/// first, so its memory can go before the larger one is allocated), so a steady run allocates nothing.
/// </summary>
internal sealed class GrowingArena<TShape, TArena>(Func<TShape, TArena> create, Func<TShape, TShape, bool> fits, Func<TShape, TShape, TShape> union)
    where TShape : struct
    where TArena : class
{
    TArena? arena;
    TShape capacity;

    /// <summary>The arena of the last <see cref="For"/>, or null before the first.</summary>
    public TArena? Current => arena;

    public TArena For(TShape shape)
    {
        if (arena == null || !fits(shape, capacity))
        {
            var planned = arena == null ? shape : union(shape, capacity);
            arena = null;
            arena = create(planned);
            capacity = planned;
        }
        return arena;
    }
}

/// <summary>Arenas sized by two extents that each grow to the largest seen (batch × tokens, height × width).</summary>
internal static class GrowingArena
{
    public static GrowingArena<(int, int), TArena> OfTwoExtents<TArena>(Func<int, int, TArena> create) where TArena : class => new(
        s => create(s.Item1, s.Item2),
        (s, c) => s.Item1 <= c.Item1 && s.Item2 <= c.Item2,
        (s, c) => (Math.Max(s.Item1, c.Item1), Math.Max(s.Item2, c.Item2)));
}
