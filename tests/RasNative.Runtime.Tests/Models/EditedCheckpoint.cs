using RasNative.Loaders;

namespace RasNative.Runtime.Tests.Models;

/// <summary>A fixture model folder copied to a temp folder with its weights edited (tensors dropped, added, re-encoded).</summary>
internal sealed class EditedCheckpoint : IDisposable
{
    public EditedCheckpoint(string fixtureFolder, Func<List<TensorToWrite>, IEnumerable<TensorToWrite>> edit)
    {
        Path = Directory.CreateTempSubdirectory("rasnative-weights-").FullName;
        File.Copy(System.IO.Path.Combine(fixtureFolder, "config.json"), System.IO.Path.Combine(Path, "config.json"));
        List<TensorToWrite> tensors;
        using (var source = SafetensorsFile.Open(System.IO.Path.Combine(fixtureFolder, "diffusion_pytorch_model.safetensors")))
            tensors = [.. source.Tensors.Select(t => new TensorToWrite(t.Name, t.DType, t.Shape, source.ReadStored(t.Name).Bytes.ToArray()))];
        SafetensorsWriter.Write(System.IO.Path.Combine(Path, "diffusion_pytorch_model.safetensors"), edit(tensors));
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>float32 values of a tensor as written.</summary>
    public static float[] Values(TensorToWrite tensor)
    {
        var values = new float[tensor.Shape.Aggregate(1L, (a, d) => a * d)];
        FloatFormats.Widen(tensor.DType, tensor.Data.Span, 1f, values);
        return values;
    }
}
