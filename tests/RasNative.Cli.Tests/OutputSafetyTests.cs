using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>
/// An output never replaces an input or a non-regular file, is checked before any work, and a failed run leaves
/// neither its main output nor its side outputs (trace, heat map) nor a temp file behind.
/// </summary>
public class OutputSafetyTests
{
    static string Ras(string file) => FixturePaths.Get("ras", file);

    static string[] Generate(string output, params string[] extra) =>
    [
        "generate", "--model", Ras("model"), "--embeddings", Ras("embeddings.safetensors"), "--latents", Ras("latents.safetensors"),
        "--guidance", "5", "--steps", "3", "--output", output, .. extra,
    ];

    static string Sha(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void OutputEqualToAnInputIsRefusedAndTheInputUntouched()
    {
        using var temp = new TempFolder();
        var embeddings = temp.File("embeddings.safetensors");
        File.Copy(Ras("embeddings.safetensors"), embeddings);
        var before = Sha(embeddings);
        var args = Generate(embeddings);
        args[Array.IndexOf(args, "--embeddings") + 1] = embeddings;
        CliAssert.OneError(CliHarness.Run(args), "is an input of this command");
        Assert.Equal(before, Sha(embeddings));
        CliAssert.NothingWritten(temp.Path, "embeddings.safetensors");
    }

    [Fact]
    public void OutputNamingTheModelWeightsThroughALinkIsRefused()
    {
        using var temp = new TempFolder();
        var link = temp.File("weights.safetensors");
        File.CreateSymbolicLink(link, Ras("model/diffusion_pytorch_model.safetensors"));
        CliAssert.OneError(CliHarness.Run(Generate(link)), "is an input of this command");
        Assert.Equal(Sha(Ras("model/diffusion_pytorch_model.safetensors")), Sha(link));
    }

    [Fact]
    public void ForwardOutputEqualToItsInputsIsRefused()
    {
        using var temp = new TempFolder();
        var inputs = temp.File("case_a.safetensors");
        File.Copy(FixturePaths.Get("sd3", "sd3-tiny", "case_a.safetensors"), inputs);
        CliAssert.OneError(CliHarness.Run("forward", "--model", FixturePaths.Get("sd3", "sd3-tiny"), "--inputs", inputs, "--output", inputs),
            "is an input of this command");
    }

    [Fact]
    public void TraceEqualToOutputIsRefused()
    {
        using var temp = new TempFolder();
        CliAssert.OneError(CliHarness.Run(Generate(temp.File("out.safetensors"), "--trace", temp.File("out.safetensors"))), "is also the output of --output");
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void AFifoIsNeverReplaced()
    {
        using var temp = new TempFolder();
        var fifo = temp.File("pipe.safetensors");
        Assert.Equal(0, System.Diagnostics.Process.Start("mkfifo", fifo).WaitForExitAndCode());
        CliAssert.OneError(CliHarness.Run(Generate(fifo)), "not a regular file");
        Assert.Equal(Loaders.Files.FileKind.Other, Loaders.Files.FileIdentity.Of(fifo).Kind);
        CliAssert.NothingWritten(temp.Path, "pipe.safetensors");
    }

    [Fact]
    public void AFolderIsNotAnOutputFile()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("out.safetensors"));
        CliAssert.OneError(CliHarness.Run(Generate(temp.File("out.safetensors"))), "is a folder");
    }

    [Fact]
    public void AnOutputThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("target.safetensors"), "old");
        File.CreateSymbolicLink(temp.File("link.safetensors"), temp.File("target.safetensors"));
        var (code, _, stderr) = CliHarness.Run(Generate(temp.File("link.safetensors")));
        Assert.True(code == 0, stderr);
        Assert.NotNull(new FileInfo(temp.File("link.safetensors")).LinkTarget);
        using var written = SafetensorsFile.Open(temp.File("target.safetensors"));
        Assert.True(written.Contains("latents"));
    }

    [Fact]
    public void AFailedRunLeavesNoOutputNoSideOutputsAndNoTempFiles()
    {
        using var temp = new TempFolder();
        // A checkpoint whose output bias is infinite: the run fails (at load or at its first step) after every output was declared.
        var model = Directory.CreateDirectory(temp.File("model")).FullName;
        File.Copy(Ras("model/config.json"), Path.Combine(model, "config.json"));
        using (var source = SafetensorsFile.Open(Ras("model/diffusion_pytorch_model.safetensors")))
            SafetensorsWriter.Write(Path.Combine(model, "diffusion_pytorch_model.safetensors"), source.Tensors.Select(t =>
                TensorToWrite.F32(t.Name, t.Name == "proj_out.bias" ? [.. source.ReadFloat32(t.Name).Select(_ => float.PositiveInfinity)] : source.ReadFloat32(t.Name), t.Shape)));
        var args = Generate(temp.File("out.safetensors"), "--trace", temp.File("trace.safetensors"), "--ras-heatmap", temp.File("map.png"));
        args[Array.IndexOf(args, "--model") + 1] = model;
        var (code, _, stderr) = CliHarness.Run(args);
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: ", stderr);
        CliAssert.NothingWritten(temp.Path, "model");
    }

    [Fact]
    public void OutputsCarryTheCommandsParameters()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = CliHarness.Run("generate", "--model", Ras("model"), "--embeddings", Ras("embeddings.safetensors"),
            "--seed", "7", "--width", "64", "--height", "48", "--guidance", "4.5", "--steps", "6", "--ras-ratio", "0.5",
            "--output", temp.File("out.safetensors"), "--trace", temp.File("trace.safetensors"));
        Assert.True(code == 0, stderr);
        foreach (var file in new[] { "out.safetensors", "trace.safetensors" })
        {
            using var written = SafetensorsFile.Open(temp.File(file));
            var m = written.Metadata;
            Assert.Equal(Ras("model"), m["model"]);
            Assert.Equal("7", m["seed"]);
            Assert.Equal("6", m["steps"]);
            Assert.Equal("4.5", m["guidance"]);
            Assert.Equal("64", m["width"]);
            Assert.Equal("48", m["height"]);
            Assert.Equal("cpu", m["backend"]);
            Assert.Equal("fp32", m["dtype"]);
            Assert.StartsWith("RasNative ", m["version"]);
            Assert.Contains("ratio=0.5", m["ras"]);
            Assert.Contains("Steps: 6, Sampler: FlowMatch Euler, CFG scale: 4.5, Seed: 7, Size: 64x48", m["parameters"]);
        }
    }

    [Fact]
    public void SuccessPrintsOneSummaryLine()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = CliHarness.Run(Generate(temp.File("out.safetensors"), "--ras-ratio", "0.5", "--ras-start", "1"));
        Assert.True(code == 0, stderr);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^generate: wrote .*out\.safetensors \(latents \[1, 4, 24, 24\]\); 3 steps \(1 dense, 2 RAS; \d+ of 432 patch evaluations\); RAS ratio 0.5; seed none \(--latents\); [0-9.]+ s; peak memory [0-9.]+ [KMG]B$", line);

        (code, _, stderr) = CliHarness.Run("forward", "--model", FixturePaths.Get("sd3", "sd3-tiny"),
            "--inputs", FixturePaths.Get("sd3", "sd3-tiny", "case_a.safetensors"), "--output", temp.File("sample.safetensors"));
        Assert.True(code == 0, stderr);
        Assert.Matches(@"^forward: wrote .*sample\.safetensors \(sample \[1, 4, 16, 16\]\); 1 forward of 1 × 16×16 latents; [0-9.]+ s; peak memory", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}

internal static class ProcessExtensions
{
    public static int WaitForExitAndCode(this System.Diagnostics.Process process)
    {
        process.WaitForExit();
        return process.ExitCode;
    }
}
