using RasNative.Loaders;

namespace RasNative.Runtime.Models;

/// <summary>Parameters from a checkpoint by their diffusers names; a missing or misshapen tensor is one error naming it.</summary>
public sealed class CheckpointWeights(ITensorSource source) : IWeightSource
{
    public string Description => source.Description;

    public bool Has(string name) => source.Contains(name);

    public float[] Read(string name, int[] shape)
    {
        string want = "[" + string.Join(", ", shape) + "]";
        if (!source.Contains(name))
            throw new ModelLoadException($"{source.Description}: missing tensor '{name}' (expected shape {want})");
        var info = source.Info(name);
        if (!info.Shape.SequenceEqual(shape.Select(d => (long)d)))
            throw new ModelLoadException($"{source.Description}: tensor '{name}' has shape {info.ShapeText}, expected {want}");
        return source.ReadFloat32(name);
    }
}
