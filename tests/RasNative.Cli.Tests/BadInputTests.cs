using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>Bad input: one "error:" line naming the problem, exit code 2, no output file.</summary>
public class BadInputTests
{
    static string Model => FixturePaths.Get("sd3", "sd3-tiny");
    static string CaseA => Path.Combine(Model, "case_a.safetensors");

    internal static void AssertRejected(TempFolder temp, string mentions, params string[] args)
    {
        var (code, stdout, stderr) = CliHarness.Run(args);
        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 1 && lines.All(l => l.StartsWith("error: ")), $"stderr: {stderr}");
        Assert.Contains(mentions, stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
        Assert.DoesNotContain(CliAssert.Entries(temp.Path), e => Path.GetFileName(e).Contains("out", StringComparison.Ordinal));   // hidden temp files included
    }

    [Fact]
    public void MissingInputsFile()
    {
        using var temp = new TempFolder();
        AssertRejected(temp, "nope.safetensors", "forward", "--model", Model, "--inputs", temp.File("nope.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void TruncatedInputsFile()
    {
        using var temp = new TempFolder();
        var bytes = File.ReadAllBytes(CaseA);
        File.WriteAllBytes(temp.File("cut.safetensors"), bytes[..(bytes.Length / 2)]);
        AssertRejected(temp, "cut.safetensors", "forward", "--model", Model, "--inputs", temp.File("cut.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void InputsLackingATensor()
    {
        using var temp = new TempFolder();
        using (var source = SafetensorsFile.Open(CaseA))
            SafetensorsWriter.Write(temp.File("partial.safetensors"), source.Tensors.Where(t => t.Name != "pooled_projections")
                .Select(t => TensorToWrite.F32(t.Name, source.ReadFloat32(t.Name), t.Shape)));
        AssertRejected(temp, "pooled_projections", "forward", "--model", Model, "--inputs", temp.File("partial.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void InputOfTheWrongWidth()
    {
        using var temp = new TempFolder();
        using (var source = SafetensorsFile.Open(CaseA))
            SafetensorsWriter.Write(temp.File("wide.safetensors"), source.Tensors.Select(t => t.Name == "encoder_hidden_states"
                ? TensorToWrite.F32(t.Name, new float[7 * 33], 1, 7, 33)
                : TensorToWrite.F32(t.Name, source.ReadFloat32(t.Name), t.Shape)));
        AssertRejected(temp, "encoder_hidden_states", "forward", "--model", Model, "--inputs", temp.File("wide.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void CheckpointMissingATensorNamesIt()
    {
        using var temp = new TempFolder();
        var model = Directory.CreateDirectory(temp.File("model")).FullName;
        File.Copy(Path.Combine(Model, "config.json"), Path.Combine(model, "config.json"));
        using (var source = SafetensorsFile.Open(Path.Combine(Model, "diffusion_pytorch_model.safetensors")))
            SafetensorsWriter.Write(Path.Combine(model, "diffusion_pytorch_model.safetensors"),
                source.Tensors.Where(t => t.Name != "transformer_blocks.1.attn.to_k.weight")
                    .Select(t => TensorToWrite.F32(t.Name, source.ReadFloat32(t.Name), t.Shape)));
        AssertRejected(temp, "transformer_blocks.1.attn.to_k.weight", "forward", "--model", model, "--inputs", CaseA, "--output", temp.File("out.st"));
    }

    [Fact]
    public void CheckpointWithAMisshapenTensorNamesItAndTheExpectedShape()
    {
        using var temp = new TempFolder();
        var model = Directory.CreateDirectory(temp.File("model")).FullName;
        File.Copy(Path.Combine(Model, "config.json"), Path.Combine(model, "config.json"));
        using (var source = SafetensorsFile.Open(Path.Combine(Model, "diffusion_pytorch_model.safetensors")))
            SafetensorsWriter.Write(Path.Combine(model, "diffusion_pytorch_model.safetensors"),
                source.Tensors.Select(t => t.Name == "proj_out.bias"
                    ? TensorToWrite.F32(t.Name, new float[15], 15)
                    : TensorToWrite.F32(t.Name, source.ReadFloat32(t.Name), t.Shape)));
        AssertRejected(temp, "proj_out.bias' has shape [15], expected [16]", "forward", "--model", model, "--inputs", CaseA, "--output", temp.File("out.st"));
    }

    [Fact]
    public void UnknownFlag()
    {
        using var temp = new TempFolder();
        AssertRejected(temp, "--bogus", "forward", "--bogus");
    }

    [Fact]
    public void CpuWithAReducedPrecisionDType()
    {
        using var temp = new TempFolder();
        AssertRejected(temp, "--dtype", "forward", "--model", Model, "--inputs", CaseA, "--output", temp.File("out.st"), "--dtype", "fp16");
    }

    [Fact]
    public void OutputIntoAMissingFolder()
    {
        using var temp = new TempFolder();
        AssertRejected(temp, "missing", "forward", "--model", Model, "--inputs", CaseA, "--output", temp.File("missing/out.st"));
    }
}
