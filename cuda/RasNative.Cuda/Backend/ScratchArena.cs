namespace RasNative.Cuda;

/// <summary>
/// Stream-ordered scratch without allocations in steady state: an op takes regions of one device buffer and gives
/// them back after queueing the work that uses them; once none is out, the next op starts again at the front. That
/// is safe because every op runs on the one stream in queue order, so later work never overtakes earlier reads of
/// the same bytes (the same reasoning as cuMemFreeAsync followed by cuMemAllocAsync on one stream). A request that
/// does not fit makes a buffer of what is out plus the request (so the next time the same op fits in one buffer); the
/// old one is freed, stream-ordered, once no region of it is out. After the largest op has run once, no op allocates
/// again, and the arena holds what the hungriest op needs at once, no more.
/// </summary>
internal sealed class ScratchArena(CudaCalls calls) : IDisposable
{
    const long Alignment = 256;

    ulong buffer;
    long capacity, used;
    int regionsOut;
    readonly List<ulong> retired = [];

    /// <summary>Bytes the arena holds now.</summary>
    public long Capacity => capacity;

    public ulong Take(long bytes)
    {
        bytes = (Math.Max(bytes, 1) + Alignment - 1) / Alignment * Alignment;
        if (used + bytes > capacity)
        {
            if (buffer != 0) retired.Add(buffer);
            capacity = used + bytes;
            buffer = calls.AllocateAsync(capacity);
            used = 0;
        }
        var region = buffer + (ulong)used;
        used += bytes;
        regionsOut++;
        return region;
    }

    public void Give(ulong region)
    {
        if (regionsOut == 0) throw new InvalidOperationException($"scratch region 0x{region:x} given back twice");
        if (--regionsOut > 0) return;
        used = 0;
        foreach (var old in retired) calls.FreeAsync(old);
        retired.Clear();
    }

    /// <summary>Frees every buffer with cuMemFree, which waits for the device and never throws (it runs in the backend's Dispose).</summary>
    public void Dispose()
    {
        foreach (var old in retired) calls.Free(old);
        retired.Clear();
        if (buffer != 0) calls.Free(buffer);
        buffer = 0;
        capacity = used = 0;
    }
}
