using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

public class ForwardCommandTests
{
    static string Model(string name) => FixturePaths.Get("sd3", name);

    [Theory]
    [InlineData("sd3-tiny", "case_b")]
    [InlineData("sd35-tiny", "case_c")]
    public void ForwardWritesTheDiffusersSample(string model, string caseName)
    {
        using var temp = new TempFolder();
        var inputs = Path.Combine(Model(model), caseName + ".safetensors");
        var (code, _, err) = CliHarness.Run("forward", "--model", Model(model), "--inputs", inputs, "--output", temp.File("out.safetensors"));
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(inputs);
        using var actual = SafetensorsFile.Open(temp.File("out.safetensors"));
        Assert.Equal(expected.Info("sample").Shape, actual.Info("sample").Shape);
        Closeness.AssertClose(expected.ReadFloat32("sample"), actual.ReadFloat32("sample"), FixtureBounds.Transformer, "sample");
    }

    [Fact]
    public void DumpHoldsEveryFixtureIntermediate()
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run("forward", "--model", Model("sd35-tiny"),
            "--inputs", Path.Combine(Model("sd35-tiny"), "case_a.safetensors"),
            "--output", temp.File("out.safetensors"), "--dump", temp.File("dump.safetensors"));
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(Path.Combine(Model("sd35-tiny"), "case_a_intermediates.safetensors"));
        using var dump = SafetensorsFile.Open(temp.File("dump.safetensors"));
        foreach (var info in expected.Tensors)
        {
            Assert.True(dump.Contains(info.Name), $"dump lacks '{info.Name}'");
            Assert.Equal(info.Shape, dump.Info(info.Name).Shape);
        }
    }

    [Fact]
    public void APipelineFolderIsAcceptedAsModel()
    {
        using var temp = new TempFolder();
        var pipeline = Directory.CreateDirectory(temp.File("pipeline"));
        var transformer = pipeline.CreateSubdirectory("transformer");
        foreach (var file in new[] { "config.json", "diffusion_pytorch_model.safetensors" })
            File.Copy(Path.Combine(Model("sd3-tiny"), file), Path.Combine(transformer.FullName, file));
        File.WriteAllText(Path.Combine(pipeline.FullName, "model_index.json"),
            """{"_class_name": "StableDiffusion3Pipeline", "transformer": ["diffusers", "SD3Transformer2DModel"]}""");
        var (code, _, err) = CliHarness.Run("forward", "--model", pipeline.FullName,
            "--inputs", Path.Combine(Model("sd3-tiny"), "case_a.safetensors"), "--output", temp.File("out.safetensors"));
        Assert.True(code == 0, err);
    }
}
