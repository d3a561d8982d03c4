using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// Per-thread working memory for kernel tasks, reused across calls; one buffer per use, so a task holding one
/// (attention tiles) never shares it with another (a GEMM's widened weight panel).
/// </summary>
internal static unsafe class ThreadScratch
{
    const int AlignmentFloats = 16;

    [ThreadStatic]
    static float[]? attentionTiles;

    [ThreadStatic]
    static float[]? widenedPanel;

    [ThreadStatic]
    static float[]? im2colBand;

    /// <summary>At least <paramref name="length"/> 64-byte-aligned floats for attention's tiles, valid until this thread's next call.</summary>
    public static float* AttentionTiles(int length) => Get(ref attentionTiles, length);

    /// <summary>At least <paramref name="length"/> 64-byte-aligned floats for a widened weight panel slice, valid until this thread's next call.</summary>
    public static float* WidenedPanel(int length) => Get(ref widenedPanel, length);

    /// <summary>At least <paramref name="length"/> 64-byte-aligned floats for a convolution's im2col band, valid until this thread's next call.</summary>
    public static float* Im2colBand(int length) => Get(ref im2colBand, length);

    static float* Get(ref float[]? buffer, int length)
    {
        if (buffer == null || buffer.Length < length + AlignmentFloats)
            buffer = GC.AllocateUninitializedArray<float>(length + AlignmentFloats, pinned: true);

        // Pinned-heap arrays never move, so the address stays valid while the thread-static keeps the array alive;
        // dying threads release theirs to the GC, unlike native thread-local blocks.
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((address + 63) & ~(nint)63);
    }
}
