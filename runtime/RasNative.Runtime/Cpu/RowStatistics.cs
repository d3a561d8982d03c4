using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RasNative.Runtime.Cpu;

/// <summary>The per-row statistics the norms share (float32, two passes, biased variance as torch's LayerNorm).</summary>
internal static class RowStatistics
{
    public static (float Mean, float InverseStd) MeanAndInverseStd(ReadOnlySpan<float> row, float eps)
    {
        float mean = TensorPrimitives.Sum(row) / row.Length;
        float variance = 0;
        foreach (var v in row) variance += (v - mean) * (v - mean);
        return (mean, 1f / MathF.Sqrt(variance / row.Length + eps));
    }

    public static float InverseRms(ReadOnlySpan<float> row, float eps) =>
        1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / row.Length + eps);
}
