using BenchmarkDotNet.Attributes;
using RasNative.Tokenizers.Clip;
using RasNative.Tokenizers.T5;

namespace RasNative.Benchmarks;

/// <summary>
/// Tokenizer load and encode times at the real SD3 vocabulary sizes (synthetic files, see
/// <see cref="SyntheticTokenizerFolders"/>): loading CLIP's 49k vocabulary + merges and a 32k-piece spiece.model,
/// and encoding a prompt that fills CLIP's 77 positions / T5's 256.
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    /// <summary>About 90 CLIP words (truncated to 75 tokens) and well over 256 T5 pieces.</summary>
    const string Prompt = "a very long prompt: beautiful mountains, detailed river, golden castle, misty forest, ancient temple, " +
        "vibrant city, quiet lake, stormy ocean, cozy village, dark night, bright sky, tiny robot, giant dragon, frozen bridge, " +
        "burning candle, hidden garden, floating island, broken clock, shiny armor, soft light, a photo of a cat sitting on a mat, " +
        "an astronaut riding a horse on mars, highly detailed, 4k, trending on artstation, oil painting by claude monet";

    string root = "";
    string clipFolder = "", t5Folder = "";
    ClipTokenizer? clip;
    T5Tokenizer? t5;

    [GlobalSetup]
    public void Setup()
    {
        root = Directory.CreateTempSubdirectory("rasnative-tokenizer-bench-").FullName;
        clipFolder = SyntheticTokenizerFolders.Clip(Path.Combine(root, "tokenizer_2"));
        t5Folder = SyntheticTokenizerFolders.T5(Path.Combine(root, "tokenizer_3"));
        clip = ClipTokenizer.Load(clipFolder);
        t5 = T5Tokenizer.Load(t5Folder);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(root, recursive: true);

    [Benchmark]
    public ClipTokenizer LoadClip49k() => ClipTokenizer.Load(clipFolder);

    [Benchmark]
    public T5Tokenizer LoadT5_32k() => T5Tokenizer.Load(t5Folder);

    [Benchmark]
    public int[] EncodeClip77() => clip!.Encode(Prompt).Ids;

    [Benchmark]
    public int[] EncodeT5_256() => t5!.Encode(Prompt, 256).Ids;
}
