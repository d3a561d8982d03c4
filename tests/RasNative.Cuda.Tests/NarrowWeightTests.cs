using RasNative.Loaders;
using RasNative.Runtime.Backends;
using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>
/// Weights kept narrow on the device (widened per GEMM by widen_weight) give bit for bit the outputs of the same
/// weights widened on the host and uploaded in the compute dtype; same-dtype weights are held as they are.
/// </summary>
public class NarrowWeightTests
{
    public static TheoryData<CudaDType, DType> Pairs()
    {
        var data = new TheoryData<CudaDType, DType>();
        foreach (var compute in Enum.GetValues<CudaDType>())
            foreach (var storage in new[] { DType.F32, DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2 })
                data.Add(compute, storage);
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void NarrowWeightEqualsWideningAtUpload(CudaDType compute, DType storage)
    {
        using var backend = GpuRequirement.CreateBackend(compute);
        const int rows = 33, inputs = 300, outputs = 70;
        var random = new Random(5);
        float scale = storage.IsFloat8() ? 0.0213f : 1f;
        var codes = FloatFormats.Narrow(storage, [.. Enumerable.Range(0, outputs * inputs).Select(_ => (2 * random.NextSingle() - 1) / scale / 10)]);
        var stored = new StoredTensor(storage, codes, [outputs, inputs], scale);
        var bias = Enumerable.Range(0, outputs).Select(_ => random.NextSingle()).ToArray();

        var narrow = backend.UploadLinear(stored, bias, outputs, inputs);
        var widened = backend.UploadLinear(StoredTensor.F32(stored.ToFloat32(), outputs, inputs), bias, outputs, inputs);
        bool keptNarrow = storage.ElementSize() < compute.ElementSize();
        Assert.Equal(keptNarrow ? storage : compute.ToDType(), narrow.Storage);
        Assert.Equal(backend.LinearWeightBytes(storage, outputs, inputs, hasBias: true), narrow.Bytes);
        Assert.Equal(keptNarrow ? (long)outputs * inputs * compute.ElementSize() : 0, backend.WidenScratchBytes);

        var x = backend.Upload([.. Enumerable.Range(0, rows * inputs).Select(_ => 2 * random.NextSingle() - 1)], rows, inputs);
        float[] Run(Runtime.Tensors.LinearWeight weight)
        {
            var y = backend.Allocate(rows, outputs);
            backend.Linear(x, weight, y, Activation.GeluTanh);
            var result = new float[y.Length];
            backend.Download(y, result);
            return result;
        }
        Assert.Equal(Run(widened).Select(BitConverter.SingleToUInt32Bits), Run(narrow).Select(BitConverter.SingleToUInt32Bits));
    }
}
