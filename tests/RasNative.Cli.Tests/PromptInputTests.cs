using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>The text flags' contract: bad combinations and missing files are one line, exit 2, nothing written; warnings go on.</summary>
public class PromptInputTests
{
    static string Pipeline => PipelineCase.Pipeline;

    static string[] Generate(TempFolder temp, params string[] extra) =>
        ["generate", "--model", Pipeline, "--steps", "2", "--width", "32", "--height", "32", "--seed", "1", "--output", temp.File("out.safetensors"), .. extra];

    public static TheoryData<string[], string> BadFlags() => new()
    {
        { ["--prompt", "cat", "--embeddings", FixturePaths.Get("ras", "embeddings.safetensors")], "exclude each other" },
        { [], "--prompt" },
        { ["--prompt", "cat", "--max-sequence-length", "0"], "--max-sequence-length" },
        { ["--prompt", "cat", "--max-sequence-length", "513"], "--max-sequence-length" },
        { ["--prompt", "cat", "--no-t5", "--prompt-3", "a dog"], "--prompt-3" },
        { ["--prompt", "cat", "--no-t5", "--negative-prompt-3", "fog"], "--negative-prompt-3" },
        { ["--prompt", "cat", "--clip-skip", "2"], "--clip-skip 2" },
        { ["--prompt", "cat", "--clip-skip", "-1"], "--clip-skip" },
        { ["--embeddings", FixturePaths.Get("ras", "embeddings.safetensors"), "--prompt-2", "x"], "--prompt-2 goes with --prompt" },
        { ["--prompt", "cat", "--num-images", "2", "--trace", "t.safetensors"], "--num-images 1" },
        { ["--prompt", "cat", "--num-images", "0"], "--num-images" },
    };

    [Theory]
    [MemberData(nameof(BadFlags))]
    public void BadTextFlagsAreRefusedWithoutOutput(string[] flags, string mentions)
    {
        using var temp = new TempFolder();
        CliAssert.OneError(CliHarness.Run(Generate(temp, flags)), mentions);
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void EncodeNeedsAPromptAndRefusesBadLengths()
    {
        using var temp = new TempFolder();
        CliAssert.OneError(CliHarness.Run("encode", "--model", Pipeline, "--output", temp.File("e.safetensors")), "--prompt");
        CliAssert.OneError(CliHarness.Run("encode", "--model", Pipeline, "--prompt", "cat", "--max-sequence-length", "513", "--output", temp.File("e.safetensors")),
            "--max-sequence-length");
        CliAssert.NothingWritten(temp.Path);
    }

    /// <summary>A pipeline copy with one file or folder left out: the error names what is missing.</summary>
    [Theory]
    [InlineData("tokenizer_2/merges.txt", "merges.txt")]
    [InlineData("tokenizer_3/spiece.model", "spiece.model")]
    [InlineData("tokenizer", "tokenizer")]
    [InlineData("text_encoder_3", "text_encoder_3")]
    public void AMissingTokenizerOrEncoderIsNamed(string leftOut, string mentions)
    {
        using var temp = new TempFolder();
        string copy = PipelineCopy.Without(temp, leftOut);
        var line = CliAssert.OneError(CliHarness.Run("generate", "--model", copy, "--prompt", "cat", "--steps", "2", "--width", "128", "--height", "128",
            "--seed", "1", "--output", temp.File("out.safetensors")), mentions);
        if (leftOut == "text_encoder_3") Assert.Contains("--no-t5", line);
        CliAssert.NothingWritten(temp.Path, "pipeline");
    }

    [Fact]
    public void WithoutT5ThePromptT5FlagIsRefusedAndNoT5RunsWithZeros()
    {
        using var temp = new TempFolder();
        string copy = PipelineCopy.Without(temp, "text_encoder_3");
        CliAssert.OneError(CliHarness.Run("encode", "--model", copy, "--prompt", "cat", "--prompt-3", "dog", "--no-t5", "--output", temp.File("e.safetensors")), "--prompt-3");
        var (code, _, err) = CliHarness.Run("encode", "--model", copy, "--prompt", "cat", "--no-t5", "--output", temp.File("e.safetensors"));
        Assert.True(code == 0, err);
        using var file = SafetensorsFile.Open(temp.File("e.safetensors"));
        // diffusers without text_encoder_3: zeros [B, tokenizer_max_length = 77, joint_attention_dim = 96] after the 77 CLIP rows.
        Assert.Equal([1L, 154, 96], file.Info("prompt_embeds").Shape);
        var embeds = file.ReadFloat32("prompt_embeds");
        Assert.All(embeds[(77 * 96)..], v => Assert.Equal(0f, v));
        Assert.Contains(embeds[..(77 * 96)], v => v != 0f);
        Assert.False(file.Contains("t5_input_ids"));
    }

    [Fact]
    public void TheLuminaTextEncoderIsOutOfScope()
    {
        using var temp = new TempFolder();
        CliAssert.OneError(CliHarness.Run("generate", "--model", FixturePaths.Get("ras-lumina", "pipeline"), "--prompt", "cat", "--steps", "2",
            "--output", temp.File("out.safetensors")), "Gemma");
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void ANegativePromptWithoutGuidanceAndAnOverlongPromptWarnAndRun()
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run(Generate(temp, "--prompt", "an astronaut riding a horse on mars, highly detailed, 4k, trending on artstation",
            "--negative-prompt", "blurry", "--guidance", "1", "--max-sequence-length", "16"));
        Assert.True(code == 0, err);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("warning: --negative-prompt is ignored", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("warning: the prompt is longer than T5's 16 tokens", StringComparison.Ordinal) && l.Contains("artstation"));
        Assert.True(File.Exists(temp.File("out.safetensors")));
    }

    [Fact]
    public void APromptOfOnlyPunctuationRuns()
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run("encode", "--model", Pipeline, "--prompt", "!!! ?!", "--output", temp.File("e.safetensors"));
        Assert.True(code == 0, err);
        using var file = SafetensorsFile.Open(temp.File("e.safetensors"));
        // CLIP-G's pad token is "!": each one is its own token, id 0, between BOS (812) and the rest.
        Assert.Equal([812L, 0, 0, 0], file.ReadInt64("clip_g_input_ids")[..4]);
        Assert.All(file.ReadFloat32("prompt_embeds"), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void WithoutASeedARandomOneIsPrintedAndRecorded()
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run("generate", "--model", Pipeline, "--prompt", "cat", "--steps", "1", "--output", temp.File("out.safetensors"));
        Assert.True(code == 0, err);
        var seedLine = err.Split('\n').Single(l => l.StartsWith("generate: seed ", StringComparison.Ordinal));
        using var file = SafetensorsFile.Open(temp.File("out.safetensors"));
        Assert.Contains($"--seed {file.Metadata["seed"]}", seedLine);
        // The default size is the transformer's sample_size (16) · 8 pixels, i.e. a 16 × 16 latent.
        Assert.Equal([1L, 16, 16, 16], file.Info("latents").Shape);
    }

    /// <summary>N images: one randn([N, C, h, w]) draw, each image denoised from its slice with the same prompt.</summary>
    [Fact]
    public void ManyImagesShareOneNoiseDraw()
    {
        using var temp = new TempFolder();
        string[] common = ["--model", Pipeline, "--prompt", "cat", "--steps", "2", "--width", "32", "--height", "32", "--ras-ratio", "1"];
        var (code, _, err) = CliHarness.Run(["generate", .. common, "--seed", "7", "--num-images", "2", "--output", temp.File("two.safetensors")]);
        Assert.True(code == 0, err);
        (code, _, err) = CliHarness.Run(["generate", .. common, "--seed", "7", "--output", temp.File("one.safetensors")]);
        Assert.True(code == 0, err);
        using var two = SafetensorsFile.Open(temp.File("two.safetensors"));
        using var one = SafetensorsFile.Open(temp.File("one.safetensors"));
        Assert.Equal([2L, 16, 16, 16], two.Info("latents").Shape);
        var both = two.ReadFloat32("latents");
        // 16·16·16 = 4096 values per image, a multiple of torch's 16-value fill blocks, so image 0's noise is the N = 1 draw.
        Assert.Equal(one.ReadFloat32("latents"), both[..4096]);
        Assert.NotEqual(both[..4096], both[4096..]);
        Assert.Equal("2", two.Metadata["images"]);
    }

    [Fact]
    public void AHostBudgetTooSmallForAnEncoderIsRefusedWithItsFigure()
    {
        using var temp = new TempFolder();
        Environment.SetEnvironmentVariable("RASNATIVE_HOST_MEMORY", "200K");
        try
        {
            var line = CliAssert.OneError(CliHarness.Run(Generate(temp, "--prompt", "cat")), "encoding the prompt with text_encoder");
            Assert.Matches(@"needs about [0-9.]+ KB \(weights [0-9.]+ KB \+ activations [0-9.]+ KB\), but only 200.0 KB of host memory is available", line);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RASNATIVE_HOST_MEMORY", null);
        }
        CliAssert.NothingWritten(temp.Path);
    }
}
