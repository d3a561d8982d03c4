namespace RasNative.Runtime.Models;

/// <summary>Where a model's parameters come from: a checkpoint, or random values of the right shapes (bench presets).</summary>
public interface IWeightSource
{
    /// <summary>Description for messages (file or preset).</summary>
    string Description { get; }

    /// <summary>Whether an optional tensor (a bias) exists.</summary>
    bool Has(string name);

    /// <summary>The tensor's values as float32, after checking it has <paramref name="shape"/>.</summary>
    float[] Read(string name, int[] shape);
}
