using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cli.Infrastructure;

/// <summary>Collects named float32 results and writes them in one atomic safetensors write.</summary>
public sealed class OutputFile
{
    readonly List<TensorToWrite> tensors = [];

    public void Add(string name, float[] data, int[] shape) =>
        tensors.Add(TensorToWrite.F32(name, data, [.. shape.Select(d => (long)d)]));

    public void Add(string name, long[] data, int[] shape) =>
        tensors.Add(TensorToWrite.I64(name, data, [.. shape.Select(d => (long)d)]));

    public void Add(IBackend backend, string name, Tensor tensor)
    {
        var data = new float[tensor.Length];
        backend.Download(tensor, data);
        Add(name, data, tensor.Shape);
    }

    public void Write(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        AtomicFile.RequireFolder(path);
        SafetensorsWriter.Write(path, tensors, metadata);
    }
}
