using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>`generate` ending in a PNG: the sd3-pipeline fixture's images, the parameters chunk, the VAE's latent scale, bad input.</summary>
public class GenerateImageTests
{
    static string Pipeline => FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny");

    /// <summary>A case's call as generate flags with the pipeline's prompt embeddings, dense (no RAS), as diffusers ran it.</summary>
    static string[] CaseFlags(string caseName)
    {
        var run = PipelineCase.Load(caseName);
        return ["--model", Pipeline, "--embeddings", run.Tensors, .. run.SamplingFlags()];
    }

    [Theory]
    [InlineData("case_1")]
    [InlineData("case_2")]
    public void GenerateReproducesThePipelinesImage(string caseName)
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run(["generate", .. CaseFlags(caseName), "--output", temp.File("out.png")]);
        Assert.True(code == 0, err);
        var (pixels, width, height) = PngFile.Pixels(temp.File("out.png"));
        var (reference, referenceWidth, referenceHeight) = PngFile.Pixels(FixturePaths.Get("sd3-pipeline", caseName + ".png"));
        Assert.Equal((referenceWidth, referenceHeight), (width, height));
        Assert.True(PngFile.MaxDifference(reference, pixels) <= 1, $"{caseName}: pixels differ from the pipeline's PNG by more than one level");
    }

    /// <summary>One parameter record: the PNG's iTXt `parameters` equals the latents file's metadata of the same run.</summary>
    [Fact]
    public void PngCarriesTheSameParametersAsTheLatentsMetadata()
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run(["generate", .. CaseFlags("case_1"), "--output", temp.File("out.png")]);
        Assert.True(code == 0, err);
        (code, _, err) = CliHarness.Run(["generate", .. CaseFlags("case_1"), "--output", temp.File("out.safetensors")]);
        Assert.True(code == 0, err);

        var chunks = PngFile.Chunks(temp.File("out.png"));
        Assert.Equal(1, chunks.Count(c => c.Type == "iTXt"));
        Assert.True(chunks.FindIndex(c => c.Type == "iTXt") < chunks.FindIndex(c => c.Type == "IDAT"), "the text chunk comes before the image data");
        string? text = PngFile.InternationalText(temp.File("out.png"), "parameters");
        using var latents = SafetensorsFile.Open(temp.File("out.safetensors"));
        Assert.Equal(latents.Metadata["parameters"], text);
        foreach (var part in new[] { "Steps: 4", "Sampler: FlowMatch Euler", "CFG scale: 5", "Seed: 42", "Size: 32x32", "Model: sd3-pipeline-tiny", "RAS: off", "Backend: cpu fp32" })
            Assert.Contains(part, text);

        // decode of those latents is the same image, and carries the record on.
        (code, _, err) = CliHarness.Run("decode", "--model", Pipeline, "--latents", temp.File("out.safetensors"), "--output", temp.File("decoded.png"));
        Assert.True(code == 0, err);
        Assert.Equal(PngFile.Pixels(temp.File("out.png")).Pixels, PngFile.Pixels(temp.File("decoded.png")).Pixels);
        Assert.Equal(text, PngFile.InternationalText(temp.File("decoded.png"), "parameters"));
    }

    /// <summary>--vae supplies the VAE a transformer folder lacks, and is named in the parameters.</summary>
    [Fact]
    public void VaeFolderDecodesForATransformerFolder()
    {
        using var temp = new TempFolder();
        var flags = CaseFlags("case_1");
        flags[1] = Path.Combine(Pipeline, "transformer");
        var (code, _, err) = CliHarness.Run(["generate", .. flags, "--vae", Path.Combine(Pipeline, "vae"), "--output", temp.File("out.png")]);
        Assert.True(code == 0, err);
        var (reference, _, _) = PngFile.Pixels(FixturePaths.Get("sd3-pipeline", "case_1.png"));
        Assert.True(PngFile.MaxDifference(reference, PngFile.Pixels(temp.File("out.png")).Pixels) <= 1);
        Assert.Contains("VAE: vae", PngFile.InternationalText(temp.File("out.png"), "parameters"));
    }

    /// <summary>The latent size is pixels / the VAE's scale (2 for this tiny VAE), so width must be a multiple of scale · patch.</summary>
    [Fact]
    public void SizeMustBeAMultipleOfTheVaeScaleTimesThePatch()
    {
        using var temp = new TempFolder();
        var flags = CaseFlags("case_1");
        flags[Array.IndexOf(flags, "--width") + 1] = "30";
        var line = CliAssert.OneError(CliHarness.Run(["generate", .. flags, "--output", temp.File("out.png")]), "--width 30");
        Assert.Contains("multiple of 4 (the VAE's scale 2 · patch_size 2)", line);
        CliAssert.NothingWritten(temp.Path);
    }

    [Theory]
    [InlineData("out.jpg", "'.jpg'")]
    [InlineData("out.latents", "'.latents'")]
    public void OutputOtherThanPngOrSafetensorsIsRefused(string name, string mentions)
    {
        using var temp = new TempFolder();
        CliAssert.OneError(CliHarness.Run(["generate", .. CaseFlags("case_1"), "--output", temp.File(name)]), mentions);
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void PngNeedsAVae()
    {
        using var temp = new TempFolder();
        var line = CliAssert.OneError(CliHarness.Run("generate", "--model", FixturePaths.Get("ras", "model"), "--embeddings", FixturePaths.Get("ras", "embeddings.safetensors"),
            "--seed", "1", "--width", "128", "--height", "128", "--steps", "2", "--output", temp.File("out.png")), "no vae component");
        Assert.Contains("--vae DIR", line);
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void VaeOfOtherLatentChannelsIsRefused()
    {
        using var temp = new TempFolder();
        var line = CliAssert.OneError(CliHarness.Run("generate", "--model", FixturePaths.Get("ras", "model"), "--embeddings", FixturePaths.Get("ras", "embeddings.safetensors"),
            "--vae", Path.Combine(Pipeline, "vae"), "--seed", "1", "--width", "64", "--height", "64", "--steps", "2", "--output", temp.File("out.png")), "has 4 channels");
        Assert.Contains("decodes 16", line);
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void TilingWithALatentsOutputIsRefused()
    {
        using var temp = new TempFolder();
        CliAssert.OneError(CliHarness.Run(["generate", .. CaseFlags("case_1"), "--vae-tiling", "--output", temp.File("out.safetensors")]), "--vae-tiling");
        CliAssert.NothingWritten(temp.Path);
    }
}
