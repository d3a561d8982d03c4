using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cli.Infrastructure;

/// <summary>Named input tensors from a safetensors file, checked by rank, uploaded to a backend.</summary>
public sealed class InputTensors(string path, SafetensorsFile file) : IDisposable
{
    public static InputTensors Open(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"{path}: file not found");
        return new InputTensors(path, SafetensorsFile.Open(path));
    }

    public SafetensorsFile Source => file;

    public bool Contains(string name) => file.Contains(name);

    public int[] Shape(string name, int rank)
    {
        if (!file.Contains(name)) throw new UsageException($"{path}: missing tensor '{name}'");
        var shape = file.Info(name).Shape;
        if (shape.Length != rank)
            throw new UsageException($"{path}: tensor '{name}' has shape {file.Info(name).ShapeText}, expected rank {rank}");
        return [.. shape.Select(d => checked((int)d))];
    }

    public Tensor Upload(IBackend backend, string name, int rank)
    {
        var shape = Shape(name, rank);
        return backend.Upload(Read(name, rank), shape);
    }

    /// <summary>The tensor as float32, refusing NaN and ∞ (they would pass through the model without a word).</summary>
    public float[] Read(string name, int rank)
    {
        Shape(name, rank);
        var values = file.ReadFloat32(name);
        int bad = System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(values);
        if (bad >= 0 && !float.IsFinite(values[bad]))
            throw new UsageException($"{path}: tensor '{name}' holds a non-finite value ({values[bad]} at element {bad})");
        return values;
    }

    public void Dispose() => file.Dispose();
}
