namespace RasNative.Benchmarks;

/// <summary>
/// Joint attention of one sd3-bench block: queries [image ; text] against keys [image ; text]. Under RAS the
/// image queries are only the active tokens while the image keys/values are the whole cached image.
/// </summary>
public sealed record AttentionShape(string Name, int ImageQueries, int ImageKeys) : IFlopCount
{
    public const int TextTokens = Sd3BenchShape.TextTokens;

    public int Queries => ImageQueries + TextTokens;

    public int Keys => ImageKeys + TextTokens;

    /// <summary>Q·Kᵀ and P·V, two flops per multiply-add each; the softmax is not counted.</summary>
    public double Flops => 4.0 * Sd3BenchShape.Batch * Sd3BenchShape.Heads * Queries * Keys * Sd3BenchShape.HeadDim;

    public static IEnumerable<AttentionShape> Sd3Bench =>
    [
        new("dense", Sd3BenchShape.ImageTokens, Sd3BenchShape.ImageTokens),
        new("ras0.5", Sd3BenchShape.RasImageTokens, Sd3BenchShape.ImageTokens),
    ];

    public override string ToString() => $"{Name}[{Queries}q x {Keys}k]";
}
