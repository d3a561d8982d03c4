using RasNative.Loaders;

namespace RasNative.Runtime.Models;

/// <summary>
/// Deterministic random parameters of whatever shapes a model asks for, so published configs can be run and
/// measured with no checkpoint. Scales follow the fixtures' scheme (matrices ~ 1/√fan_in, biases 0.1, norm
/// weights around 1), so activations stay in a realistic range. Values are stored as <paramref name="storage"/>
/// (rounded to nearest even), so a preset models a checkpoint of that dtype; with <paramref name="keep"/> every
/// generated tensor is kept, to be saved as a checkpoint.
/// </summary>
public sealed class RandomWeights(int seed, bool keep = false, DType storage = DType.F32) : IWeightSource
{
    readonly System.Random random = new(seed);
    readonly List<(string Name, int[] Shape, byte[] Data)> generated = [];
    readonly List<string> names = [];

    public string Description => $"random weights (seed {seed}, {storage})";

    public DType Storage { get; } = storage.IsWeightFormat() ? storage : throw new ArgumentException($"{storage} is not a weight storage format", nameof(storage));

    /// <summary>With keep: every tensor produced, as <see cref="Storage"/> bytes.</summary>
    public IReadOnlyList<(string Name, int[] Shape, byte[] Data)> Generated => generated;

    public IEnumerable<string> Names => names;

    public float[] Read(string name, int[] shape) => ReadStored(name, shape).ToFloat32();

    public DType StoredFormat(string name, int[] shape) => Storage;

    public StoredTensor ReadStored(string name, int[] shape)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        var values = new float[count];
        bool vector = shape.Length == 1;
        float scale = vector ? 0.1f : MathF.Sqrt(3f / (count / shape[0]));
        float offset = vector && name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f;
        for (long i = 0; i < count; i++) values[i] = offset + scale * (2f * random.NextSingle() - 1f);
        var bytes = FloatFormats.Narrow(Storage, values);
        names.Add(name);
        if (keep) generated.Add((name, shape, bytes));
        return new StoredTensor(Storage, bytes, [.. shape.Select(d => (long)d)]);
    }
}
