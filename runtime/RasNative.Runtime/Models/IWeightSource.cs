using RasNative.Loaders;

namespace RasNative.Runtime.Models;

/// <summary>Where a model's parameters come from: a checkpoint, or random values of the right shapes (bench presets).</summary>
public interface IWeightSource
{
    /// <summary>Description for messages (file or preset).</summary>
    string Description { get; }

    /// <summary>Every tensor the source holds (a generator: those it has produced), for the binder's unused-tensor check.</summary>
    IEnumerable<string> Names { get; }

    /// <summary>The tensor's values as float32, after checking it exists with <paramref name="shape"/> and a float dtype.</summary>
    float[] Read(string name, int[] shape);

    /// <summary>
    /// The tensor as stored (F32, F16, BF16, F8_E4M3 or F8_E5M2 with its per-tensor scale; F64 arrives narrowed to
    /// F32), after the same checks; the bytes stay valid while the source is open.
    /// </summary>
    StoredTensor ReadStored(string name, int[] shape);

    /// <summary>The format <see cref="ReadStored"/> gives the tensor, after the same checks, without reading (or generating) it.</summary>
    DType StoredFormat(string name, int[] shape);
}
