using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>Copies observed activations to the host, keyed by name, with their shapes.</summary>
public sealed class ActivationRecorder(IBackend backend) : IActivationObserver
{
    readonly Dictionary<string, (float[] Data, int[] Shape)> recorded = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, (float[] Data, int[] Shape)> Recorded => recorded;

    public void Observe(string name, Tensor value)
    {
        var data = new float[value.Length];
        backend.Download(value, data);
        recorded[name] = (data, (int[])value.Shape.Clone());
    }

    public void ObserveHeads(string name, Tensor first, Tensor? second, int heads, int headDim)
    {
        int batch = first.Dim(0), t1 = first.Dim(1), t2 = second?.Dim(1) ?? 0, total = t1 + t2;
        var a = new float[first.Length];
        backend.Download(first, a);
        var b = new float[second?.Length ?? 0];
        if (second != null) backend.Download(second, b);
        var result = new float[(long)batch * heads * total * headDim];
        for (int n = 0; n < batch; n++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < total; t++)
                {
                    var (src, rows, row) = t < t1 ? (a, t1, t) : (b, t2, t - t1);
                    Array.Copy(src, ((long)(n * rows + row) * heads + h) * headDim,
                        result, ((long)(n * heads + h) * total + t) * headDim, headDim);
                }
        recorded[name] = (result, [batch, heads, total, headDim]);
    }
}
