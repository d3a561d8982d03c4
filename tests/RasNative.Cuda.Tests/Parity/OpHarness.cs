using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>
/// What one op case sees of a backend (in the style of ggml's test-backend-ops): seeded random inputs,
/// already rounded to the storage dtype so both backends start from identical values, and outputs
/// surrounded by guard regions of a sentinel that must survive the op untouched.
/// </summary>
public sealed class OpHarness(IBackend backend, Func<float, float> quantize)
{
    const int Guard = 67;
    /// <summary>A guard that keeps the output 256-byte aligned in every dtype (the vector paths of the kernels).</summary>
    const int AlignedGuard = 64;
    const float Sentinel = 12.5f; // exact in fp16 and bf16

    readonly Random random = new(20240607);
    readonly List<(Tensor Whole, int Guard, long Length, string Name)> outputs = [];

    public IBackend Backend { get; } = backend;

    /// <summary>A random input in [−1, 1).</summary>
    public Tensor Input(params int[] shape) => Input(1f, shape);

    public Tensor Input(float amplitude, params int[] shape) =>
        Backend.Upload(Random(Tensor.ShapeLength(shape), amplitude), shape);

    /// <summary>A tensor whose values are compared afterwards (pre-filled with random values, so "untouched" is checked too).</summary>
    public Tensor Output(params int[] shape) => Output(Guard, shape);

    /// <summary>An <see cref="Output"/> whose first element is 256-byte aligned (the odd guard of the others makes every other output unaligned).</summary>
    public Tensor AlignedOutput(params int[] shape) => Output(AlignedGuard, shape);

    Tensor Output(int guard, int[] shape)
    {
        long length = Tensor.ShapeLength(shape);
        var data = new float[length + 2 * guard];
        Array.Fill(data, Sentinel);
        Random(length, 1f).CopyTo(data, guard);
        var whole = Backend.Upload(data, data.Length);
        outputs.Add((whole, guard, length, $"output {outputs.Count} [{string.Join(",", shape)}]"));
        return whole.Slice(guard, shape);
    }

    /// <summary>Random host values in [−amplitude, amplitude), already rounded to the storage dtype.</summary>
    public float[] Values(float amplitude, long length) => Random(length, amplitude);

    public Tensor Constant(float[] values, params int[] shape) => Backend.Upload(values.Select(quantize).ToArray(), shape);

    public IndexList Indices(params int[] indices) => Backend.UploadIndices(indices);

    /// <summary>All outputs' values (guards excluded), after checking every guard still holds the sentinel.</summary>
    public float[] Collect()
    {
        var result = new List<float>();
        foreach (var (whole, guard, length, name) in outputs)
        {
            var data = new float[whole.Length];
            Backend.Download(whole, data);
            for (int i = 0; i < data.Length; i++)
                if ((i < guard || i >= guard + length) && data[i] != Sentinel)
                    throw new InvalidOperationException($"{Backend.Name}: {name} guard element {i - guard} overwritten with {data[i]}");
            result.AddRange(data.AsSpan(guard, (int)length).ToArray());
        }
        return result.ToArray();
    }

    float[] Random(long length, float amplitude)
    {
        var data = new float[length];
        for (long i = 0; i < length; i++) data[i] = quantize(amplitude * (2 * random.NextSingle() - 1));
        return data;
    }
}
