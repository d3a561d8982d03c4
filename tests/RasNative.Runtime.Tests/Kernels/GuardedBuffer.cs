using System.Runtime.InteropServices;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

/// <summary>
/// Native floats between two guard bands of a sentinel, to catch kernel writes out of bounds; the start is
/// deliberately not vector-aligned. The whole block, data included, starts as the sentinel.
/// </summary>
internal sealed unsafe class GuardedBuffer : IDisposable
{
    const int Guard = 61;

    // A NaN payload no arithmetic produces, compared bitwise.
    public static readonly float Sentinel = BitConverter.Int32BitsToSingle(0x7FC0_1234);

    readonly float* block;

    public GuardedBuffer(long length)
    {
        Length = length;
        block = (float*)NativeMemory.AlignedAlloc((nuint)((length + 2 * Guard) * sizeof(float)), 64);
        new Span<float>(block, checked((int)(length + 2 * Guard))).Fill(Sentinel);
    }

    public long Length { get; }

    public float* Data => block + Guard;

    public Span<float> Span => new(Data, checked((int)Length));

    public static bool IsSentinel(float value) => BitConverter.SingleToInt32Bits(value) == BitConverter.SingleToInt32Bits(Sentinel);

    public void FillRandom(Random random)
    {
        foreach (ref float value in Span)
            value = (float)(random.NextDouble() * 2 - 1);
    }

    public void AssertGuardsIntact()
    {
        for (int i = 0; i < Guard; i++)
        {
            Assert.True(IsSentinel(block[i]), $"write {Guard - i} floats before the buffer");
            Assert.True(IsSentinel(Data[Length + i]), $"write {i} floats after the buffer");
        }
    }

    public void Dispose() => NativeMemory.AlignedFree(block);
}
