using System.Text.Json;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>bench on a VAE: the random:sd3-vae preset's decode, a saved preset run again from its folder, a fixture VAE folder.</summary>
public class VaeBenchTests
{
    [Fact]
    public void Sd3VaePresetDecodesOneImageAndSavesItsWork()
    {
        using var folder = new TempFolder();
        var (code, stdout, err) = CliHarness.Run("bench", "--model", "random:sd3-vae", "--width", "64", "--height", "48", "--repeat", "1", "--json", "--save", folder.Path);
        Assert.True(code == 0, err);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal([48, 64], report.GetProperty("image_pixels").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([1, 16, 6, 8], report.GetProperty("latent").EnumerateArray().Select(v => v.GetInt32()));
        Assert.True(report.GetProperty("gflop_per_forward").GetDouble() > 0);
        Assert.True(report.GetProperty("op_ms").GetProperty("gemm").GetDouble() > 0);

        (code, stdout, err) = CliHarness.Run("bench", "--model", folder.Path, "--inputs", folder.File("inputs.safetensors"), "--repeat", "1", "--json");
        Assert.True(code == 0, err);
        Assert.Equal([48, 64], JsonDocument.Parse(stdout).RootElement.GetProperty("image_pixels").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public void VaeFolderBenchesTheDecode()
    {
        var (code, stdout, err) = CliHarness.Run("bench", "--model", FixturePaths.Get("vae", "sd3-vae-tiny"), "--width", "32", "--height", "32", "--batch", "2", "--repeat", "1", "--json");
        Assert.True(code == 0, err);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal([2, 16, 16, 16], report.GetProperty("latent").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public void SamplingFlagsAreRefusedForAVae() =>
        CliAssert.OneError(CliHarness.Run("bench", "--model", FixturePaths.Get("vae", "sd3-vae-tiny"), "--steps", "4", "--repeat", "1"), "a VAE has no sampler");
}
