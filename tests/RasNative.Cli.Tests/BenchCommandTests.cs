using System.Text.Json;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public void JsonReportsTheForwardAndDenseVsRas()
    {
        var (code, stdout, err) = CliHarness.Run("bench", "--model", "random:sd3-tiny", "--repeat", "2", "--steps", "6", "--ras-ratio", "0.5", "--ras-start", "2", "--json");
        Assert.True(code == 0, err);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.True(report.GetProperty("median_ms").GetDouble() > 0);
        Assert.True(report.GetProperty("gflop_per_forward").GetDouble() > 0);
        var ras = report.GetProperty("ras");
        Assert.True(ras.GetProperty("ras_step_ms").GetDouble() > 0);
        Assert.InRange(ras.GetProperty("token_fraction").GetDouble(), 0.3, 0.99);
    }

    [Fact]
    public void DenseRatioHasNoRasStepTime()
    {
        var (code, stdout, err) = CliHarness.Run("bench", "--model", "random:lumina-next-tiny", "--repeat", "1", "--steps", "3", "--ras-ratio", "1", "--json");
        Assert.True(code == 0, err);
        var ras = JsonDocument.Parse(stdout).RootElement.GetProperty("ras");
        Assert.Equal(JsonValueKind.Null, ras.GetProperty("ras_step_ms").ValueKind);
        Assert.Equal(1.0, ras.GetProperty("token_fraction").GetDouble());
    }

    [Fact]
    public void WeightDTypeStoresThePresetNarrowAndSavesIt()
    {
        double WeightsMib(string dtype, string? save = null)
        {
            string[] args = ["bench", "--model", "random:sd3-tiny", "--repeat", "1", "--json", "--weight-dtype", dtype, .. save == null ? Array.Empty<string>() : ["--save", save]];
            var (code, stdout, err) = CliHarness.Run(args);
            Assert.True(code == 0, err);
            var report = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal(dtype.ToUpperInvariant(), report.GetProperty("weight_dtype").GetString());
            return report.GetProperty("weights_mib").GetDouble();
        }
        using var folder = new TempFolder();
        double f32 = WeightsMib("f32"), bf16 = WeightsMib("bf16", folder.Path), fp8 = WeightsMib("f8_e4m3");
        Assert.True(fp8 < bf16 && bf16 < f32, $"weights MiB: f32 {f32}, bf16 {bf16}, f8_e4m3 {fp8}");

        using var saved = Loaders.SafetensorsFile.Open(folder.File("diffusion_pytorch_model.safetensors"));
        Assert.All(saved.Tensors, t => Assert.Equal(Loaders.DType.BF16, t.DType));
        var (code, _, err) = CliHarness.Run("bench", "--model", folder.Path, "--inputs", folder.File("inputs.safetensors"), "--repeat", "1", "--json");
        Assert.True(code == 0, err);
    }

    [Fact]
    public void WeightDTypeOfACheckpointIsAUsageError()
    {
        var (code, _, err) = CliHarness.Run("bench", "--model", "/nonexistent", "--weight-dtype", "bf16");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --weight-dtype bf16: only random:<preset> models take it", err);
    }

    [Fact]
    public void UnknownPresetIsAUsageError()
    {
        var (code, _, err) = CliHarness.Run("bench", "--model", "random:nope");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --model random:nope", err);
        Assert.Contains("random:sd3-medium", err);
    }

    [Fact]
    public void TextEncoderPresetsRunOneForwardOfTheirLength()
    {
        var (code, stdout, err) = CliHarness.Run("bench", "--model", "random:clip-l", "--repeat", "1", "--batch", "1", "--weight-dtype", "bf16", "--json");
        Assert.True(code == 0, err);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(77, report.GetProperty("text_tokens").GetInt32());
        Assert.Equal(0, report.GetProperty("image_tokens").GetInt32());
        // CLIP-L: 123 M parameters, nearly all in bf16 matrices (≈ 235 MiB) and the float32 vectors.
        Assert.InRange(report.GetProperty("weights_mib").GetDouble(), 230, 250);
        Assert.True(report.GetProperty("gflop_per_forward").GetDouble() > 0);

        // Refused before any of T5-XXL's 4.76 billion random weights are generated.
        var line = CliAssert.OneError(CliHarness.Run("bench", "--model", "random:t5-xxl", "--steps", "4"), "--steps");
        Assert.Contains("text encoder", line);
        Environment.SetEnvironmentVariable("RASNATIVE_HOST_MEMORY", "8G");
        try
        {
            Assert.Matches(@"bench random:t5-xxl with F32 weights needs about 17\.7 GB", CliAssert.OneError(CliHarness.Run("bench", "--model", "random:t5-xxl"), "needs about"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("RASNATIVE_HOST_MEMORY", null);
        }
    }
}
