using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// Binds checkpoint tensors by their diffusers names onto a backend, checking each shape, so a missing or
/// misshapen tensor is one error naming it and the shape the model expects.
/// </summary>
public sealed class WeightBinder(ITensorSource source, IBackend backend)
{
    public bool Has(string name) => source.Contains(name);

    /// <summary>nn.Linear (or a Conv2d whose kernel equals its stride, flattened to [out, in·kh·kw]).</summary>
    public LinearWeight Linear(string prefix, int outFeatures, params int[] inShape)
    {
        int inFeatures = checked((int)Tensors.Tensor.ShapeLength(inShape));
        var weight = Read(prefix + ".weight", [outFeatures, .. inShape]);
        var bias = Has(prefix + ".bias") ? Read(prefix + ".bias", [outFeatures]) : [];
        return backend.UploadLinear(weight, bias, outFeatures, inFeatures);
    }

    /// <summary>Like <see cref="Linear"/> but the bias must be present.</summary>
    public LinearWeight LinearWithBias(string prefix, int outFeatures, int inFeatures)
    {
        Require(prefix + ".bias", [outFeatures]);
        return Linear(prefix, outFeatures, inFeatures);
    }

    public Tensor Parameter(string name, params int[] shape) => backend.Upload(Read(name, shape), shape);

    float[] Read(string name, int[] expected)
    {
        Require(name, expected);
        return source.ReadFloat32(name);
    }

    void Require(string name, int[] expected)
    {
        string want = "[" + string.Join(", ", expected) + "]";
        if (!source.Contains(name))
            throw new ModelLoadException($"{source.Description}: missing tensor '{name}' (expected shape {want})");
        var info = source.Info(name);
        if (!info.Shape.Select(d => (long)d).SequenceEqual(expected.Select(d => (long)d)))
            throw new ModelLoadException($"{source.Description}: tensor '{name}' has shape {info.ShapeText}, expected {want}");
    }
}
