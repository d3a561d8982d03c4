using RasNative.Loaders;

namespace RasNative.Runtime.Models;

/// <summary>Parameters from a checkpoint by their diffusers names; a missing, misshapen or non-float tensor is one error naming it.</summary>
public sealed class CheckpointWeights(ITensorSource source) : IWeightSource
{
    public string Description => source.Description;

    public IEnumerable<string> Names => source.Tensors.Select(t => t.Name);

    public float[] Read(string name, int[] shape)
    {
        Check(name, shape);
        return source.ReadFloat32(name);
    }

    public StoredTensor ReadStored(string name, int[] shape) =>
        Check(name, shape).DType.IsWeightFormat() ? source.ReadStored(name) : StoredTensor.F32(source.ReadFloat32(name), [.. shape]);

    public DType StoredFormat(string name, int[] shape) => Check(name, shape).DType is var stored && stored.IsWeightFormat() ? stored : DType.F32;

    TensorInfo Check(string name, int[] shape)
    {
        string want = "[" + string.Join(", ", shape) + "]";
        if (!source.Contains(name))
            throw new ModelLoadException($"{source.Description}: missing tensor '{name}' (expected shape {want})");
        var info = source.Info(name);
        if (!info.Shape.SequenceEqual(shape.Select(d => (long)d)))
            throw new ModelLoadException($"{source.Description}: tensor '{name}' has shape {info.ShapeText}, expected {want}");
        if (!info.DType.IsFloatingPoint())
            throw new ModelLoadException($"{source.Description}: tensor '{name}' is {info.DType}; model parameters are floats (F32, F16, BF16, F8_E4M3, F8_E5M2 or F64)");
        return info;
    }
}
