using RasNative.Loaders;
using RasNative.Runtime.Models.Vae;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>`decode` against the VAE and pipeline fixtures: raw samples, PNG pixels, batches, and bad input.</summary>
public class DecodeCommandTests
{
    static string Vae => FixturePaths.Get("vae", "sd3-vae-tiny");
    static string Pipeline => FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny");

    /// <summary>A latents file as generate writes it, from one tensor of a fixture case file.</summary>
    static string Latents(TempFolder temp, string caseFile, string tensor, string name = "latents.safetensors")
    {
        using var source = SafetensorsFile.Open(caseFile);
        SafetensorsWriter.Write(temp.File(name), [TensorToWrite.F32("latents", source.ReadFloat32(tensor), source.Info(tensor).Shape)]);
        return temp.File(name);
    }

    [Theory]
    [InlineData("case_1")]
    [InlineData("case_2")]
    public void NoScalingWritesTheDecoderOutput(string caseName)
    {
        using var temp = new TempFolder();
        var caseFile = Path.Combine(Vae, caseName + ".safetensors");
        var (code, _, err) = CliHarness.Run("decode", "--model", Vae, "--latents", Latents(temp, caseFile, "latent"), "--output", temp.File("out.safetensors"), "--no-scaling");
        Assert.True(code == 0, err);
        Assert.StartsWith("decode: wrote ", err);
        using var expected = SafetensorsFile.Open(caseFile);
        using var output = SafetensorsFile.Open(temp.File("out.safetensors"));
        Assert.Equal(expected.Info("sample").Shape, output.Info("sample").Shape);
        Closeness.AssertClose(expected.ReadFloat32("sample"), output.ReadFloat32("sample"), 1e-5, 1e-5, $"{caseName} sample");
    }

    [Fact]
    public void PngHoldsThePipelinesBytes()
    {
        using var temp = new TempFolder();
        var caseFile = Path.Combine(Vae, "case_1.safetensors");
        var (code, _, err) = CliHarness.Run("decode", "--model", Vae, "--latents", Latents(temp, caseFile, "latent"), "--output", temp.File("out.png"));
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(caseFile);
        var (pixels, width, height) = PngFile.Pixels(temp.File("out.png"));
        Assert.Equal((16, 16), (width, height));
        Assert.Equal(expected.ReadStored("pipeline.image_uint8").Bytes.ToArray(), pixels);
        Assert.Null(PngFile.InternationalText(temp.File("out.png"), "parameters"));   // these latents carry no generation record
    }

    [Fact]
    public void BatchWritesOnePngPerImage()
    {
        using var temp = new TempFolder();
        var caseFile = Path.Combine(Vae, "case_2.safetensors");
        var (code, _, err) = CliHarness.Run("decode", "--model", Vae, "--latents", Latents(temp, caseFile, "latent"), "--output", temp.File("out.png"), "--no-scaling");
        Assert.True(code == 0, err);
        Assert.False(File.Exists(temp.File("out.png")));
        using var expected = SafetensorsFile.Open(caseFile);
        var sample = expected.ReadFloat32("sample");
        for (int b = 0; b < 2; b++)
        {
            var (pixels, width, height) = PngFile.Pixels(temp.File($"out-{b}.png"));
            Assert.Equal((20, 12), (width, height));
            Assert.True(PngFile.MaxDifference(VaeImageProcessor.ToBytes(sample, b, 3, 12, 20), pixels) <= 1, $"image {b}");
        }
    }

    /// <summary>The pipeline fixture's final latents decode to its images (README bounds: decoded within 1e-4, PNG pixels within one level).</summary>
    [Theory]
    [InlineData("case_1")]
    [InlineData("case_2")]
    public void PipelineLatentsDecodeToThePipelinesImage(string caseName)
    {
        using var temp = new TempFolder();
        var caseFile = FixturePaths.Get("sd3-pipeline", caseName + ".safetensors");
        var latents = Latents(temp, caseFile, "latents_final");
        var (code, _, err) = CliHarness.Run("decode", "--model", Pipeline, "--latents", latents, "--output", temp.File("out.png"));
        Assert.True(code == 0, err);
        (code, _, err) = CliHarness.Run("decode", "--model", Pipeline, "--latents", latents, "--output", temp.File("out.safetensors"));
        Assert.True(code == 0, err);

        using var expected = SafetensorsFile.Open(caseFile);
        using var output = SafetensorsFile.Open(temp.File("out.safetensors"));
        Closeness.AssertClose(expected.ReadFloat32("decoded"), output.ReadFloat32("sample"), 1e-4, 0, $"{caseName} decoded");
        var (pixels, _, _) = PngFile.Pixels(temp.File("out.png"));
        var (reference, _, _) = PngFile.Pixels(FixturePaths.Get("sd3-pipeline", caseName + ".png"));
        Assert.True(PngFile.MaxDifference(reference, pixels) <= 1, $"{caseName}: PNG pixels differ by more than one level");
    }

    /// <summary>A tiny single file's VAE needs its config (the released files' 32 groups do not divide 8 channels): --vae gives it.</summary>
    [Fact]
    public void SingleFileVaeDecodesWithTheConfigOfVae()
    {
        using var temp = new TempFolder();
        var caseFile = Path.Combine(Vae, "case_1.safetensors");
        var file = FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors");
        var latents = Latents(temp, caseFile, "latent");
        CliAssert.OneError(CliHarness.Run("decode", "--model", file, "--latents", latents, "--output", temp.File("out.png")), "norm_num_groups");
        var (code, _, err) = CliHarness.Run("decode", "--model", file, "--vae", Vae, "--latents", latents, "--output", temp.File("out.png"));
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(caseFile);
        Assert.Equal(expected.ReadStored("pipeline.image_uint8").Bytes.ToArray(), PngFile.Pixels(temp.File("out.png")).Pixels);
    }

    [Fact]
    public void TilingDecodesLargeLatentsInTiles()
    {
        using var temp = new TempFolder();
        // 70 × 80 latent pixels: more than one 64-pixel tile each way.
        var random = new Random(1);
        SafetensorsWriter.Write(temp.File("big.safetensors"),
            [TensorToWrite.F32("latents", [.. Enumerable.Range(0, 16 * 70 * 80).Select(_ => (float)(random.NextDouble() * 2 - 1))], 1, 16, 70, 80)]);
        var (code, _, err) = CliHarness.Run("decode", "--model", Vae, "--latents", temp.File("big.safetensors"), "--output", temp.File("out.png"), "--vae-tiling");
        Assert.True(code == 0, err);
        Assert.Contains("in tiles", err);
        Assert.Equal((160, 140), (PngFile.Pixels(temp.File("out.png")).Width, PngFile.Pixels(temp.File("out.png")).Height));
    }

    public static TheoryData<string, string> BadOutputs() => new() { { "out.jpg", "'.jpg'" }, { "out", "''" }, { "out.PNG.txt", "'.txt'" } };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public void OutputOtherThanPngOrSafetensorsIsRefused(string name, string mentions)
    {
        using var temp = new TempFolder();
        var latents = Latents(temp, Path.Combine(Vae, "case_1.safetensors"), "latent", "in.safetensors");
        var line = CliAssert.OneError(CliHarness.Run("decode", "--model", Vae, "--latents", latents, "--output", temp.File(name)), mentions);
        Assert.Contains("--output", line);
        CliAssert.NothingWritten(temp.Path, "in.safetensors");
    }

    [Fact]
    public void LatentChannelsOtherThanTheVaesAreRefused()
    {
        using var temp = new TempFolder();
        SafetensorsWriter.Write(temp.File("in.safetensors"), [TensorToWrite.F32("latents", new float[4 * 8 * 8], 1, 4, 8, 8)]);
        var line = CliAssert.OneError(CliHarness.Run("decode", "--model", Vae, "--latents", temp.File("in.safetensors"), "--output", temp.File("out.png")), "has 4 channels");
        Assert.Contains("decodes 16 (its latent_channels)", line);
        CliAssert.NothingWritten(temp.Path, "in.safetensors");
    }

    [Fact]
    public void NonFiniteLatentsAreRefused()
    {
        using var temp = new TempFolder();
        var values = new float[16 * 8 * 8];
        values[77] = float.NaN;
        SafetensorsWriter.Write(temp.File("in.safetensors"), [TensorToWrite.F32("latents", values, 1, 16, 8, 8)]);
        CliAssert.OneError(CliHarness.Run("decode", "--model", Vae, "--latents", temp.File("in.safetensors"), "--output", temp.File("out.png")), "non-finite value");
        CliAssert.NothingWritten(temp.Path, "in.safetensors");
    }

    [Fact]
    public void LatentsFileWithoutLatentsIsRefused()
    {
        using var temp = new TempFolder();
        SafetensorsWriter.Write(temp.File("in.safetensors"), [TensorToWrite.F32("sample", new float[16], 1, 16, 1, 1)]);
        CliAssert.OneError(CliHarness.Run("decode", "--model", Vae, "--latents", temp.File("in.safetensors"), "--output", temp.File("out.png")), "missing tensor 'latents'");
        CliAssert.NothingWritten(temp.Path, "in.safetensors");
    }

    [Fact]
    public void VaeWithoutWeightsIsRefused()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("vae"));
        File.Copy(Path.Combine(Vae, "config.json"), temp.File("vae/config.json"));
        var latents = Latents(temp, Path.Combine(Vae, "case_1.safetensors"), "latent", "in.safetensors");
        CliAssert.OneError(CliHarness.Run("decode", "--model", temp.File("vae"), "--latents", latents, "--output", temp.File("out.png")), temp.File("vae"));
        CliAssert.NothingWritten(temp.Path, "in.safetensors", "vae");
    }

    [Fact]
    public void VaeWithoutConfigIsRefused()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("vae"));
        File.Copy(Path.Combine(Vae, "diffusion_pytorch_model.safetensors"), temp.File("vae/diffusion_pytorch_model.safetensors"));
        var latents = Latents(temp, Path.Combine(Vae, "case_1.safetensors"), "latent", "in.safetensors");
        CliAssert.OneError(CliHarness.Run("decode", "--model", temp.File("vae"), "--latents", latents, "--output", temp.File("out.png")), "vae");
        CliAssert.NothingWritten(temp.Path, "in.safetensors", "vae");
    }

    [Fact]
    public void VaeWithATensorMissingIsRefused()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("vae"));
        File.Copy(Path.Combine(Vae, "config.json"), temp.File("vae/config.json"));
        using (var source = SafetensorsFile.Open(Path.Combine(Vae, "diffusion_pytorch_model.safetensors")))
            SafetensorsWriter.Write(temp.File("vae/diffusion_pytorch_model.safetensors"), source.Tensors.Where(t => t.Name != "decoder.conv_out.bias")
                .Select(t => TensorToWrite.F32(t.Name, source.ReadFloat32(t.Name), t.Shape)));
        var latents = Latents(temp, Path.Combine(Vae, "case_1.safetensors"), "latent", "in.safetensors");
        CliAssert.OneError(CliHarness.Run("decode", "--model", temp.File("vae"), "--latents", latents, "--output", temp.File("out.png")), "missing tensor 'decoder.conv_out.bias'");
        CliAssert.NothingWritten(temp.Path, "in.safetensors", "vae");
    }

    [Fact]
    public void ModelWithoutAVaeIsRefused()
    {
        using var temp = new TempFolder();
        var latents = Latents(temp, Path.Combine(Vae, "case_1.safetensors"), "latent", "in.safetensors");
        CliAssert.OneError(CliHarness.Run("decode", "--model", FixturePaths.Get("ras", "model"), "--latents", latents, "--output", temp.File("out.png")), "vae");
        CliAssert.NothingWritten(temp.Path, "in.safetensors");
    }
}
