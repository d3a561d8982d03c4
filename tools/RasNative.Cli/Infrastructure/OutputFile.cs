using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cli.Infrastructure;

/// <summary>Collects named results (small: a sample, latents) and writes them as one safetensors output of an <see cref="OutputSet"/>.</summary>
public sealed class OutputFile
{
    readonly List<TensorToWrite> tensors = [];

    public void Add(string name, float[] data, int[] shape) =>
        tensors.Add(TensorToWrite.F32(name, data, [.. shape.Select(d => (long)d)]));

    public void Add(IBackend backend, string name, Tensor tensor)
    {
        var data = new float[tensor.Length];
        backend.Download(tensor, data);
        Add(name, data, tensor.Shape);
    }

    public void Write(OutputSet outputs, OutputSet.Output output, IReadOnlyDictionary<string, string> metadata) =>
        outputs.Write(output, stream => SafetensorsWriter.Write(stream, tensors, metadata));
}
