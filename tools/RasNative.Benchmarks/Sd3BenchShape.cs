namespace RasNative.Benchmarks;

/// <summary>
/// The `random:sd3-bench` preset's dimensions (tools/RasNative.Cli/Bench/ModelPresets.cs), repeated here rather
/// than referenced so the benchmarks depend on the runtime alone: 6 heads × 64, 64×64 latent with patch 2 →
/// 1024 image tokens, 77 text tokens, guidance batch 2.
/// </summary>
public static class Sd3BenchShape
{
    public const int Batch = 2;
    public const int Heads = 6;
    public const int HeadDim = 64;
    public const int Width = Heads * HeadDim;
    public const int ImageTokens = 1024;
    public const int TextTokens = 77;
    public const int JointAttentionDim = 512;
    public const int PatchChannels = 16 * 2 * 2;

    /// <summary>Image tokens under RAS at ratio 0.5 (the active half of the patches).</summary>
    public const int RasImageTokens = ImageTokens / 2;
}
