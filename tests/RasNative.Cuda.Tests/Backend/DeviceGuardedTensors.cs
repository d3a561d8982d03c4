using RasNative.Runtime.Tensors;
using RasNative.Runtime.Tests.Backends;
using Xunit;

namespace RasNative.Cuda.Tests.Backend;

/// <summary>
/// <see cref="IGuardedTensors"/> on a CUDA backend: each tensor a view in the middle of its own device allocation, every
/// element (guards included) random, read back whole by <see cref="Snapshot"/> to check that nothing was written.
/// </summary>
sealed class DeviceGuardedTensors(CudaBackend backend, int seed = 1) : IGuardedTensors
{
    const int Guard = 1024;

    readonly Random random = new(seed);
    readonly List<Tensor> wholes = [];

    public Tensor Tensor(params int[] shape)
    {
        long length = Runtime.Tensors.Tensor.ShapeLength(shape);
        var values = new float[Guard + length + Guard];
        foreach (ref float value in values.AsSpan()) value = random.NextSingle() * 2 - 1;
        var whole = backend.Upload(values, values.Length);
        wholes.Add(whole);
        return whole.Slice(Guard, shape);
    }

    public float[][] Snapshot() => [.. wholes.Select(Read)];

    public void AssertUnchanged(float[][] snapshot)
    {
        Assert.Equal(snapshot.Length, wholes.Count);
        for (int s = 0; s < wholes.Count; s++)
        {
            var now = Read(wholes[s]);
            for (int i = 0; i < now.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(now[i]) == BitConverter.SingleToInt32Bits(snapshot[s][i]),
                    $"tensor {s}: element {i - Guard} of its view was written");
        }
    }

    float[] Read(Tensor whole)
    {
        var values = new float[whole.Length];
        backend.Download(whole, values);
        return values;
    }
}
