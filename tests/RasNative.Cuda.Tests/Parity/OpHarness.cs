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
    const int AlignedGuard = 64; // 256 bytes: an output's first element aligned for 16-byte vector kernels
    const float Sentinel = 12.5f; // exact in fp16 and bf16

    readonly Random random = new(20240607);
    readonly List<PlannedOutput> outputs = [];

    public IBackend Backend { get; } = backend;

    /// <summary>A random input in [−1, 1).</summary>
    public Tensor Input(params int[] shape) => Input(1f, shape);

    public Tensor Input(float amplitude, params int[] shape) =>
        Backend.Upload(Random(Tensor.ShapeLength(shape), amplitude), shape);

    /// <summary>A tensor the op writes whole, compared afterwards (pre-filled with random values, so "untouched" is checked too).</summary>
    public Tensor Output(params int[] shape) => Output(null, Guard, shape);

    /// <summary>An <see cref="Output"/> whose first element is 256-byte aligned (the odd guard of the others makes every other output unaligned).</summary>
    public Tensor AlignedOutput(params int[] shape) => Output(null, AlignedGuard, shape);

    /// <summary>
    /// An output the op writes only in part: <paramref name="written"/> says, per flat element index, which elements it
    /// writes; every other element must still hold its pre-filled value afterwards, bit for bit.
    /// </summary>
    public Tensor PartialOutput(Func<long, bool> written, params int[] shape) => Output(written, Guard, shape);

    /// <summary>A <see cref="PartialOutput"/> whose first element is 256-byte aligned.</summary>
    public Tensor AlignedPartialOutput(Func<long, bool> written, params int[] shape) => Output(written, AlignedGuard, shape);

    Tensor Output(Func<long, bool>? written, int guard, int[] shape)
    {
        long length = Tensor.ShapeLength(shape);
        var data = new float[length + 2 * guard];
        Array.Fill(data, Sentinel);
        var prefill = Random(length, 1f);
        prefill.CopyTo(data, guard);
        var whole = Backend.Upload(data, data.Length);
        outputs.Add(new PlannedOutput(whole, guard, prefill, written, $"output {outputs.Count} [{string.Join(",", shape)}]"));
        return whole.Slice(guard, shape);
    }

    /// <summary>Random host values in [−amplitude, amplitude), already rounded to the storage dtype.</summary>
    public float[] Values(float amplitude, long length) => Random(length, amplitude);

    public Tensor Constant(float[] values, params int[] shape) => Backend.Upload(values.Select(quantize).ToArray(), shape);

    public IndexList Indices(params int[] indices) => Backend.UploadIndices(indices);

    /// <summary>
    /// Every output after the op: the elements it writes, after checking that every guard still holds the sentinel and
    /// every element it does not write still holds its pre-filled value.
    /// </summary>
    public OutputRegion[] Collect()
    {
        var result = new List<OutputRegion>();
        foreach (var (whole, guard, prefill, written, name) in outputs)
        {
            var data = new float[whole.Length];
            Backend.Download(whole, data);
            for (int i = 0; i < data.Length; i++)
                if ((i < guard || i >= guard + prefill.Length) && data[i] != Sentinel)
                    throw new InvalidOperationException($"{Backend.Name}: {name} guard element {i - guard} overwritten with {data[i]}");
            var values = new List<float>();
            for (int i = 0; i < prefill.Length; i++)
            {
                float value = data[guard + i];
                if (written == null || written(i)) values.Add(value);
                else if (BitConverter.SingleToInt32Bits(value) != BitConverter.SingleToInt32Bits(prefill[i]))
                    throw new InvalidOperationException($"{Backend.Name}: {name} element {i}, which the op does not write, changed from {prefill[i]} to {value}");
            }
            result.Add(new OutputRegion(name, [.. values]));
        }
        return [.. result];
    }

    float[] Random(long length, float amplitude)
    {
        var data = new float[length];
        for (long i = 0; i < length; i++) data[i] = quantize(amplitude * (2 * random.NextSingle() - 1));
        return data;
    }

    sealed record PlannedOutput(Tensor Whole, int Guard, float[] Prefill, Func<long, bool>? Written, string Name);
}

/// <summary>The elements one output of a case holds after the op, those the op writes, in order.</summary>
public sealed record OutputRegion(string Name, float[] Values);
