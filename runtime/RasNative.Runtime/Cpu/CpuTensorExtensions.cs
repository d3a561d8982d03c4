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

    static CpuStorage Storage(Tensor t) => t.Storage as CpuStorage
        ?? throw new ArgumentException($"{t} does not belong to the CPU backend");
}
