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
    const float Sentinel = 12.5f; // exact in fp16 and bf16

    readonly Random random = new(20240607);
    readonly List<(Tensor Whole, long Length, string Name)> outputs = [];

    public IBackend Backend { get; } = backend;

    /// <summary>A random input in [−1, 1).</summary>
    public Tensor Input(params int[] shape) => Input(1f, shape);

    public Tensor Input(float amplitude, params int[] shape) =>
        Backend.Upload(Random(Tensor.ShapeLength(shape), amplitude), shape);

    /// <summary>A tensor whose values are compared afterwards (pre-filled with random values, so "untouched" is checked too).</summary>
    public Tensor Output(params int[] shape)
    {
        long length = Tensor.ShapeLength(shape);
        var data = new float[length + 2 * Guard];
        Array.Fill(data, Sentinel);
        Random(length, 1f).CopyTo(data, Guard);
        var whole = Backend.Upload(data, data.Length);
        outputs.Add((whole, length, $"output {outputs.Count} [{string.Join(",", shape)}]"));
        return whole.Slice(Guard, shape);
    }

    /// <summary>Random host values in [−amplitude, amplitude), already rounded to the storage dtype.</summary>
    public float[] Values(float amplitude, long length) => Random(length, amplitude);

    public Tensor Constant(float[] values, params int[] shape) => Backend.Upload(values.Select(quantize).ToArray(), shape);

    public IndexList Indices(params int[] indices) => Backend.UploadIndices(indices);

    /// <summary>All outputs' values (guards excluded), after checking every guard still holds the sentinel.</summary>
    public float[] Collect()
    {
        var result = new List<float>();
        foreach (var (whole, length, name) in outputs)
        {
            var data = new float[whole.Length];
            Backend.Download(whole, data);
            for (int i = 0; i < data.Length; i++)
                if ((i < Guard || i >= Guard + length) && data[i] != Sentinel)
                    throw new InvalidOperationException($"{Backend.Name}: {name} guard element {i - Guard} overwritten with {data[i]}");
            result.AddRange(data.AsSpan(Guard, (int)length).ToArray());
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
