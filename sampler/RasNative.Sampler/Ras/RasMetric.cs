namespace RasNative.Sampler.Ras;

/// <summary>Per-pixel statistic over the channels of the Euler increment that ranks patches.</summary>
public enum RasMetric
{
    /// <summary>Unbiased standard deviation over channels (the official default).</summary>
    Std,

    /// <summary>Euclidean norm over channels.</summary>
    L2Norm,
}
