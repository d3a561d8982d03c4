namespace RasNative.Benchmarks;

/// <summary>One nn.Linear of the sd3-bench forward: y[M, N] = x[M, K]·Wᵀ.</summary>
public sealed record GemmShape(string Name, int M, int N, int K) : IFlopCount
{
    const int B = Sd3BenchShape.Batch, D = Sd3BenchShape.Width;
    const int Image = B * Sd3BenchShape.ImageTokens, Text = B * Sd3BenchShape.TextTokens, Ras = B * Sd3BenchShape.RasImageTokens;

    public double Flops => 2.0 * M * N * K;

    /// <summary>
    /// Every distinct shape of the forward, by where it occurs; to_q/k/v/out share one shape, as do their
    /// context twins. The ras.* rows are the image stream at RAS ratio 0.5 (half the image tokens active).
    /// </summary>
    public static IEnumerable<GemmShape> Sd3Bench =>
    [
        new("img.qkvo", Image, D, D),
        new("img.ff1", Image, 4 * D, D),
        new("img.ff2", Image, D, 4 * D),
        new("img.patch", Image, D, Sd3BenchShape.PatchChannels),
        new("img.projout", Image, Sd3BenchShape.PatchChannels, D),
        new("txt.qkvo", Text, D, D),
        new("txt.ff1", Text, 4 * D, D),
        new("txt.ff2", Text, D, 4 * D),
        new("txt.embed", Text, D, Sd3BenchShape.JointAttentionDim),
        new("ras.qkvo", Ras, D, D),
        new("ras.ff1", Ras, 4 * D, D),
        new("adaln", B, 6 * D, D),
    ];

    // BenchmarkDotNet prints parameters with ToString.
    public override string ToString() => $"{Name}[{M}x{N}x{K}]";
}
