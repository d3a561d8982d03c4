using RasNative.Runtime.Cpu;
using RasNative.Runtime.Tensors;
using Xunit;

namespace RasNative.Runtime.Tests.Backends;

/// <summary>
/// CPU tensors for bad-input tests, each a view in the middle of its own storage with guard regions on both sides;
/// every element, guards included, holds a random value, so <see cref="AssertUnchanged"/> catches any write at all,
/// inside a view or past it.
/// </summary>
internal sealed class GuardedTensors(int seed = 1)
{
    const int Guard = 4096;

    readonly Random random = new(seed);
    readonly List<CpuStorage> storages = [];

    public Tensor Tensor(params int[] shape)
    {
        long length = Tensors.Tensor.ShapeLength(shape);
        var storage = new CpuStorage(Guard + length + Guard);
        foreach (ref float value in storage.Data.AsSpan()) value = random.NextSingle() * 2 - 1;
        storages.Add(storage);
        return new Tensor(storage, Guard, shape);
    }

    /// <summary>Another view of <paramref name="of"/>'s storage, <paramref name="elementOffset"/> elements after its start.</summary>
    public static Tensor Alias(Tensor of, long elementOffset, params int[] shape) => of.Slice(elementOffset, shape);

    public float[][] Snapshot() => [.. storages.Select(s => (float[])s.Data.Clone())];

    public void AssertUnchanged(float[][] snapshot)
    {
        Assert.Equal(snapshot.Length, storages.Count);
        for (int s = 0; s < storages.Count; s++)
        {
            var now = storages[s].Data;
            for (int i = 0; i < now.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(now[i]) == BitConverter.SingleToInt32Bits(snapshot[s][i]),
                    $"tensor {s}: element {i - Guard} of its view was written");
        }
    }
}
