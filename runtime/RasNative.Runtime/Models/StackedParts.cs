using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// The output of a Linear of parts (<see cref="WeightBinder.LinearParts"/>) in an arena buffer: y [parts, shape..] as a
/// leading view, and each part as the contiguous tensor [shape..] it is.
/// </summary>
internal static class StackedParts
{
    public static Tensor Output(Tensor buffer, int parts, int[] shape) => buffer.View([parts, .. shape]);

    public static Tensor[] Split(Tensor buffer, int parts, int[] shape)
    {
        long length = Tensor.ShapeLength(shape);
        return [.. Enumerable.Range(0, parts).Select(p => buffer.Slice(p * length, shape))];
    }
}
