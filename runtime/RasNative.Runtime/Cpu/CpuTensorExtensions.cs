using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>Element access for the CPU backend only; everything above the backend goes through ops.</summary>
internal static class CpuTensorExtensions
{
    public static Span<float> Span(this Tensor t) => new(Storage(t).Data, checked((int)t.Offset), checked((int)t.Length));

    public static unsafe float* Pointer(this Tensor t)
    {
        // The array is pinned for its whole life (CpuStorage), so the address is stable.
        fixed (float* p = Storage(t).Data) return p + t.Offset;
    }

    public static int[] Indices(this IndexList list) => list is CpuIndexList cpu
        ? cpu.Indices
        : throw new ArgumentException("index list does not belong to the CPU backend");

    /// <summary>The list's ids, after checking every one lies in [0, <paramref name="bound"/>) (before any op touches memory).</summary>
    public static ReadOnlySpan<int> IdsBelow(this IndexList list, int bound, string op, string what)
    {
        var ids = list.Indices().AsSpan(0, list.Count);
        foreach (int id in ids)
            if ((uint)id >= (uint)bound) throw new ArgumentException($"{op}: {what} {id} outside [0, {bound})");
        return ids;
    }

    static CpuStorage Storage(Tensor t) => t.Storage as CpuStorage
        ?? throw new ArgumentException($"{t} does not belong to the CPU backend");
}
