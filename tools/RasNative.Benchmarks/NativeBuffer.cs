using System.Runtime.InteropServices;

namespace RasNative.Benchmarks;

/// <summary>64-byte aligned native floats filled with a fixed pseudo-random pattern in [-1, 1).</summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    public NativeBuffer(long length, int seed)
    {
        Length = length;
        Pointer = (float*)NativeMemory.AlignedAlloc((nuint)(length * sizeof(float)), 64);
        var random = new Random(seed);
        for (long i = 0; i < length; i++)
            Pointer[i] = random.NextSingle() * 2 - 1;
    }

    public float* Pointer { get; private set; }

    public long Length { get; }

    public Span<float> Span => new(Pointer, checked((int)Length));

    public void Dispose()
    {
        if (Pointer != null)
            NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}
