using System.Text.Json;
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
    public void UnknownPresetIsAUsageError()
    {
        var (code, _, err) = CliHarness.Run("bench", "--model", "random:nope");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --model random:nope", err);
        Assert.Contains("random:sd3-medium", err);
    }
}
