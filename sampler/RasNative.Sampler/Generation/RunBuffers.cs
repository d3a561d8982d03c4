using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Sampler.Generation;

/// <summary>
/// The device tensors a sampler keeps from one run to the next (inputs, conditioning, model output), so that
/// repeated generations of one shape allocate nothing: the same tensor for the same name and shape, a new one only
/// when the shape changes (the backend owns its memory until it is disposed, so a replaced tensor is not reused).
/// </summary>
internal sealed class RunBuffers(IBackend backend)
{
    readonly Dictionary<string, Tensor> tensors = new(StringComparer.Ordinal);

    public Tensor Get(string name, params int[] shape)
    {
        if (tensors.TryGetValue(name, out var tensor) && tensor.Shape.AsSpan().SequenceEqual(shape)) return tensor;
        return tensors[name] = backend.Allocate(shape);
    }

    /// <summary><see cref="Get"/> overwritten with <paramref name="values"/> (stream-ordered after the work already queued).</summary>
    public Tensor Write(string name, ReadOnlySpan<float> values, params int[] shape)
    {
        var tensor = Get(name, shape);
        backend.Write(values, tensor);
        return tensor;
    }
}
