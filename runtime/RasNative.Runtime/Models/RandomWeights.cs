namespace RasNative.Runtime.Models;

/// <summary>
/// Deterministic random parameters of whatever shapes a model asks for, so published configs can be run and
/// measured with no checkpoint. Scales follow the fixtures' scheme (matrices ~ 1/√fan_in, biases 0.1, norm
/// weights around 1), so activations stay in a realistic range. With <paramref name="keep"/> every generated
/// tensor is kept, to be saved as a checkpoint.
/// </summary>
public sealed class RandomWeights(int seed, bool keep = false, Func<string, bool>? hasBias = null) : IWeightSource
{
    readonly System.Random random = new(seed);
    readonly List<(string Name, int[] Shape, float[] Data)> generated = [];

    public string Description => $"random weights (seed {seed})";

    public IReadOnlyList<(string Name, int[] Shape, float[] Data)> Generated => generated;

    public bool Has(string name) => !name.EndsWith(".bias", StringComparison.Ordinal) || (hasBias?.Invoke(name) ?? true);

    public float[] Read(string name, int[] shape)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        var data = new float[count];
        bool vector = shape.Length == 1;
        float scale = vector ? 0.1f : MathF.Sqrt(3f / (count / shape[0]));
        float offset = vector && name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f;
        for (long i = 0; i < count; i++) data[i] = offset + scale * (2f * random.NextSingle() - 1f);
        if (keep) generated.Add((name, shape, data));
        return data;
    }
}
