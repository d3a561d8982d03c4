namespace RasNative.Cuda;

/// <summary>
/// Counts of device work: kernel launches (a graph replay counts each node), cuBLAS/cuBLASLt compute calls,
/// copies (memcpy/memset of any kind), host synchronisations (any call that blocks the host on the device),
/// device allocations (pool/async ones included) and the peak of live requested device bytes.
/// </summary>
public readonly record struct CudaCounts(long Launches, long BlasCalls, long Copies, long Syncs, long Allocations, long PeakDeviceBytes)
{
    public static CudaCounts operator +(CudaCounts a, CudaCounts b) => new(a.Launches + b.Launches, a.BlasCalls + b.BlasCalls,
        a.Copies + b.Copies, a.Syncs + b.Syncs, a.Allocations + b.Allocations, Math.Max(a.PeakDeviceBytes, b.PeakDeviceBytes));
}

/// <summary>
/// The counts since the last reset, in total and inside each named range (<c>IBackend.Range</c>) that was open,
/// and the launches of each kernel by name.
/// </summary>
public sealed record CudaCounterSnapshot(CudaCounts Totals, IReadOnlyDictionary<string, CudaCounts> Ranges, IReadOnlyDictionary<string, long> KernelLaunches)
{
    /// <summary>The ranges of the model's blocks (transformer_blocks.{i}, layers.{i}: a name ending in ".{number}"), in block order.</summary>
    public IReadOnlyList<KeyValuePair<string, CudaCounts>> Blocks => Ranges
        .Where(r => r.Key.LastIndexOf('.') is int dot and > 0 && dot < r.Key.Length - 1 && r.Key[(dot + 1)..].All(char.IsAsciiDigit))
        .OrderBy(r => r.Key[..r.Key.LastIndexOf('.')], StringComparer.Ordinal).ThenBy(r => int.Parse(r.Key[(r.Key.LastIndexOf('.') + 1)..]))
        .ToArray();
}

/// <summary>
/// The accumulators behind <see cref="CudaCalls"/>: every count goes to the totals and to each open range. Not
/// thread-safe, like the backend that owns it.
/// </summary>
public sealed class CudaCounters
{
    readonly List<string> open = [];
    readonly Dictionary<string, CudaCounts> ranges = [];
    readonly Dictionary<string, long> kernels = [];
    CudaCounts totals;
    CudaCounts? captured;
    long liveBytes;

    /// <summary>True while a stream capture records calls (they count into the graph, not the totals).</summary>
    public bool Capturing => captured.HasValue;

    /// <summary>Zeroes every count; the peak restarts from the bytes live now.</summary>
    public void Reset()
    {
        totals = new CudaCounts(0, 0, 0, 0, 0, liveBytes);
        ranges.Clear();
        kernels.Clear();
        foreach (var name in open) ranges[name] = totals;
    }

    public CudaCounterSnapshot Snapshot() => new(totals, new Dictionary<string, CudaCounts>(ranges), new Dictionary<string, long>(kernels));

    internal void Enter(string name)
    {
        open.Add(name);
        ranges[name] = (ranges.TryGetValue(name, out var counts) ? counts : default) + new CudaCounts(0, 0, 0, 0, 0, liveBytes);
    }

    internal void Leave(string name) => open.RemoveAt(open.LastIndexOf(name));

    internal void Launch(string kernel)
    {
        Add(new CudaCounts(1, 0, 0, 0, 0, 0));
        if (!Capturing) kernels[kernel] = kernels.GetValueOrDefault(kernel) + 1;
    }

    internal void BlasCall() => Add(new CudaCounts(0, 1, 0, 0, 0, 0));

    internal void Copy() => Add(new CudaCounts(0, 0, 1, 0, 0, 0));

    internal void Sync() => Add(new CudaCounts(0, 0, 0, 1, 0, 0));

    internal void Allocated(long bytes)
    {
        liveBytes += bytes;
        Add(new CudaCounts(0, 0, 0, 0, 1, liveBytes));
    }

    internal void Freed(long bytes) => liveBytes -= bytes;

    internal void BeginCapture() => captured = default(CudaCounts);

    /// <summary>The counts recorded since <see cref="BeginCapture"/>: what each replay of the graph adds.</summary>
    internal CudaCounts EndCapture()
    {
        var recorded = captured ?? default;
        captured = null;
        return recorded;
    }

    /// <summary>Adds counts: those of one call, or a captured graph's at each replay.</summary>
    internal void Add(CudaCounts counts)
    {
        if (captured is { } inCapture)
        {
            captured = inCapture + counts;
            return;
        }
        totals += counts;
        foreach (var name in open) ranges[name] += counts;
    }
}
