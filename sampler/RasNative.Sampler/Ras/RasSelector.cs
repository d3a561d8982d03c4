namespace RasNative.Sampler.Ras;

/// <summary>
/// Chooses the next step's active patches from this step's Euler increment (the official <c>ras_selection</c>,
/// spec §6–7) and keeps the starvation counters (<c>drop_cnt</c>) across the run.
/// </summary>
public sealed class RasSelector
{
    readonly RasOptions options;
    readonly int steps;
    readonly float[] dropCounts;

    public RasSelector(RasOptions options, int steps, PatchGrid grid)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        this.options = options;
        this.steps = steps;
        Grid = grid;
        dropCounts = new float[grid.Patches];
        Reset();
    }

    public PatchGrid Grid { get; }

    /// <summary>How often each patch was skipped, offset by −(N + 1) (the official float counters).</summary>
    public IReadOnlyList<float> DropCounts => dropCounts;

    /// <summary>Starts a new run: every counter back to −(N + 1), the length of the σ list.</summary>
    public void Reset() => Array.Fill(dropCounts, -(steps + 1));

    /// <summary>
    /// Ranks patches by <see cref="PatchScore"/> times exp(scale·drop_cnt) and skips <paramref name="skipCount"/> of
    /// them (one fewer when both shares truncate): the lowest ⌊k(1−hr)⌋ and the highest ⌊k·hr⌋. Unlike the official
    /// code, a high share of 0 skips none from the top instead of everything (its <c>indices[-0:]</c>).
    /// Ties are broken by patch id (a stable sort); torch's unstable CPU sort may order exact ties differently.
    /// </summary>
    public RasSelection Select(ReadOnlySpan<float> increment, int channels, int skipCount)
    {
        var patches = Grid.Patches;
        ArgumentOutOfRangeException.ThrowIfNegative(skipCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(skipCount, patches);

        var order = AscendingOrder(Scores(increment, channels));

        var low = (int)(skipCount * (1.0 - options.HighRatio));
        var high = (int)(skipCount * options.HighRatio);
        int[] skipped = [.. order[..low], .. order[(patches - high)..]];
        foreach (var patch in skipped)
            dropCounts[patch] += 1f;
        return new RasSelection(order[low..(patches - high)], skipped, Grid.PixelsOf(skipped));
    }

    /// <summary>
    /// <see cref="PatchScore"/> times the starvation factor exp(scale·drop_cnt), both in float32 as torch computes
    /// them: the values the selection sorts.
    /// </summary>
    public float[] Scores(ReadOnlySpan<float> increment, int channels)
    {
        var scores = PatchScore.Compute(increment, channels, Grid, options.Metric);
        var scale = (float)options.StarvationScale;
        for (var j = 0; j < scores.Length; j++)
            scores[j] *= MathF.Exp(scale * dropCounts[j]);
        return scores;
    }

    static int[] AscendingOrder(float[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byScore = CompareNaNLast(scores[a], scores[b]);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });
        return order;
    }

    // torch's ascending sort puts NaN after every number (float.CompareTo would put it first).
    static int CompareNaNLast(float a, float b) =>
        float.IsNaN(a) ? (float.IsNaN(b) ? 0 : 1) : float.IsNaN(b) ? -1 : a.CompareTo(b);
}
