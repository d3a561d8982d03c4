using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// Binds parameters by their diffusers names onto a backend; with a checkpoint each shape is checked, so a
/// missing or misshapen tensor is one error naming it and the shape the model expects.
/// </summary>
public sealed class WeightBinder(IWeightSource source, IBackend backend)
{
    public WeightBinder(ITensorSource checkpoint, IBackend backend)
        : this(new CheckpointWeights(checkpoint), backend)
    {
    }

    public bool Has(string name) => source.Has(name);

    /// <summary>nn.Linear (or a Conv2d whose kernel equals its stride, flattened to [out, in·kh·kw]).</summary>
    public LinearWeight Linear(string prefix, int outFeatures, params int[] inShape)
    {
        int inFeatures = checked((int)Tensors.Tensor.ShapeLength(inShape));
        var weight = Read(prefix + ".weight", [outFeatures, .. inShape]);
        var bias = Has(prefix + ".bias") ? Read(prefix + ".bias", [outFeatures]) : [];
        return backend.UploadLinear(weight, bias, outFeatures, inFeatures);
    }

    public Tensor Parameter(string name, params int[] shape) => backend.Upload(Read(name, shape), shape);

    float[] Read(string name, int[] expected) => source.Read(name, expected);
}
