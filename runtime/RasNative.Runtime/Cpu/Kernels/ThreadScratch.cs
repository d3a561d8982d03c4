using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>Per-thread working memory for kernel tasks (packed A blocks, attention tiles), reused across calls.</summary>
internal static unsafe class ThreadScratch
{
    const int AlignmentFloats = 16;

    [ThreadStatic]
    static float[]? buffer;

    /// <summary>At least <paramref name="length"/> 64-byte-aligned floats, valid until this thread's next call.</summary>
    public static float* Get(int length)
    {
        if (buffer == null || buffer.Length < length + AlignmentFloats)
            buffer = GC.AllocateUninitializedArray<float>(length + AlignmentFloats, pinned: true);

        // Pinned-heap arrays never move, so the address stays valid while the thread-static keeps the array alive;
        // dying threads release theirs to the GC, unlike native thread-local blocks.
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((address + 63) & ~(nint)63);
    }
}
