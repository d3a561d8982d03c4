using System.Text.Json;
using RasNative.Cuda.Native;
using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>Every verb that takes --backend cuda, on the CUDA emulator (see <see cref="CudaEmulatorMode"/>).</summary>
public class CudaBackendCommandTests
{
    static string Sd3(string name) => FixturePaths.Get("sd3", "sd3-tiny", name);

    [Fact]
    public void ForwardOnCudaWritesTheDiffusersSample()
    {
        CudaEmulatorMode.Require();
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run("forward", "--model", Sd3(""), "--inputs", Sd3("case_b.safetensors"), "--output", temp.File("out.safetensors"),
            "--backend", "cuda", "--dtype", "fp32");
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(Sd3("case_b.safetensors"));
        using var actual = SafetensorsFile.Open(temp.File("out.safetensors"));
        Closeness.AssertClose(expected.ReadFloat32("sample"), actual.ReadFloat32("sample"), FixtureBounds.Transformer, "sample");
    }

    [Fact]
    public void GenerateOnCudaMatchesTheCpu()
    {
        CudaEmulatorMode.Require();
        using var temp = new TempFolder();
        string[] Generate(string backend, string output) =>
        [
            "generate", "--model", FixturePaths.Get("ras", "model"), "--embeddings", FixturePaths.Get("ras", "embeddings.safetensors"),
            "--seed", "7", "--width", "64", "--height", "64", "--steps", "3", "--guidance", "5", "--ras-ratio", "0.5", "--ras-start", "1",
            "--output", temp.File(output), "--backend", backend, .. backend == "cuda" ? new[] { "--dtype", "fp32" } : [],
        ];
        var (code, _, err) = CliHarness.Run(Generate("cpu", "cpu.safetensors"));
        Assert.True(code == 0, err);
        (code, _, err) = CliHarness.Run(Generate("cuda", "cuda.safetensors"));
        Assert.True(code == 0, err);
        using var cpu = SafetensorsFile.Open(temp.File("cpu.safetensors"));
        using var cuda = SafetensorsFile.Open(temp.File("cuda.safetensors"));
        Closeness.AssertClose(cpu.ReadFloat32("latents"), cuda.ReadFloat32("latents"), FixtureBounds.Ras, "latents");
    }

    [Fact]
    public void BenchOnCudaReportsTheDeviceWorkOfAForwardAndARasStep()
    {
        CudaEmulatorMode.Require();
        var (code, stdout, err) = CliHarness.Run("bench", "--model", "random:sd3-tiny", "--repeat", "1", "--steps", "6", "--ras-ratio", "0.5",
            "--ras-start", "2", "--backend", "cuda", "--dtype", "fp32", "--json");
        Assert.True(code == 0, err);
        var report = JsonDocument.Parse(stdout).RootElement;
        foreach (var name in new[] { "counters", "ras_step_counters" })
        {
            var counters = report.GetProperty(name);
            Assert.True(counters.GetProperty("launches").GetInt64() > 0, name);
            Assert.True(counters.GetProperty("blas_calls").GetInt64() > 0, name);
            Assert.True(counters.GetProperty("peak_device_bytes").GetInt64() > 0, name);
            var blocks = counters.GetProperty("per_block").EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(["transformer_blocks.0", "transformer_blocks.1", "transformer_blocks.2"], blocks);
            var first = counters.GetProperty("per_block").GetProperty("transformer_blocks.0");
            Assert.Equal(first.GetRawText(), counters.GetProperty("per_block").GetProperty("transformer_blocks.1").GetRawText());
            // Issue 10's budget: at most 15 launches + cuBLAS calls per transformer block, dense or RAS.
            Assert.True(first.GetProperty("launches").GetInt64() + first.GetProperty("blas_calls").GetInt64() <= 15, $"{name}: {first.GetRawText()}");
        }
        // A steady-state forward neither waits for the device nor copies more than its timestep embedding.
        Assert.Equal(0, report.GetProperty("counters").GetProperty("syncs").GetInt64());
        // Speed is stated against the device's fp32 peak (the emulated H100: 132 SMs × 1980 MHz × 256), never the CPU's.
        Assert.Equal(132 * 1.98e6 * 256 / 1e6, report.GetProperty("peak_gflops").GetDouble(), 6);
        Assert.StartsWith("sm_90 fp32 FMA peak", report.GetProperty("peak_basis").GetString());
        Assert.True(report.GetProperty("op_gflops").GetProperty("gemm").GetDouble() > 0);
    }

    [Fact]
    public void KernelsUnderTheEmulatorNamesItsCompiler()
    {
        CudaEmulatorMode.Require();
        var (code, stdout, err) = CliHarness.Run("kernels", "--arch", "sm_90", "--json");
        Assert.True(code == 0, err);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Contains("CUDA emulator", report.GetProperty("compiler").GetString());
        Assert.Equal(0, report.GetProperty("failed").GetInt32());
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("kernels")]
    public void UnknownCudaModeIsOneErrorLineAndExitTwo(string verb)
    {
        var previous = Environment.GetEnvironmentVariable(CudaLibraryModes.Variable);
        Environment.SetEnvironmentVariable(CudaLibraryModes.Variable, "gpu0");
        try
        {
            string[] args = verb == "kernels"
                ? ["kernels"]
                : ["forward", "--model", Sd3(""), "--inputs", Sd3("case_b.safetensors"), "--output", Path.Combine(Path.GetTempPath(), "unused.safetensors"), "--backend", "cuda"];
            var (code, stdout, err) = CliHarness.Run(args);
            Assert.Equal(2, code);
            Assert.Equal("error: RASNATIVE_CUDA=gpu0: expected auto, gpu or emulator", err.TrimEnd());
            Assert.Empty(stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable(CudaLibraryModes.Variable, previous);
        }
    }
}
