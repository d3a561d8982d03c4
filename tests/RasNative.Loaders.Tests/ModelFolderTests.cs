using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

public class ModelFolderTests
{
    [Fact]
    public void TransformerFolder()
    {
        var path = FixturePaths.Get("sd3", "sd3-tiny");
        var model = ModelFolder.Resolve(path);
        Assert.Equal(path, model.Root);
        Assert.Equal(path, model.TransformerDirectory);
        Assert.Equal(Path.Combine(path, "config.json"), model.ConfigPath);
        Assert.Null(model.SchedulerConfigPath);
        Assert.Equal("SD3Transformer2DModel", model.ClassName);
        Assert.Equal(3, Sd3TransformerConfig.FromJson(model.ConfigJson, model.ConfigPath).NumLayers);
        using var weights = model.OpenWeights();
        Assert.Equal(95, weights.Tensors.Count);
    }

    [Fact]
    public void PipelineFolder()
    {
        var path = FixturePaths.Get("ras-lumina", "pipeline");
        var model = ModelFolder.Resolve(path);
        Assert.Equal(path, model.Root);
        Assert.Equal(Path.Combine(path, "transformer"), model.TransformerDirectory);
        Assert.Equal("LuminaNextDiT2DModel", model.ClassName);
        Assert.Equal(Path.Combine(path, "scheduler", "scheduler_config.json"), model.SchedulerConfigPath);
        Assert.Equal(new FlowMatchSchedulerConfig(1000, 1.0), FlowMatchSchedulerConfig.Load(model.SchedulerConfigPath!));
        Assert.Equal(32, LuminaNextConfig.FromJson(model.ConfigJson, model.ConfigPath).HiddenSize);
        using var weights = model.OpenWeights();
        Assert.Contains(weights.Tensors, t => t.Name == "pad_token");
    }

    static string ErrorFor(string path)
    {
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Resolve(path));
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Fact]
    public void MissingFolder()
    {
        using var folder = new TempFolder();
        var missing = folder.File("absent");
        Assert.Contains(missing, ErrorFor(missing));
    }

    [Fact]
    public void FolderWithoutConfig()
    {
        using var folder = new TempFolder();
        var message = ErrorFor(folder.Path);
        Assert.Contains(folder.Path, message);
        Assert.Contains("config.json", message);
        Assert.Contains("model_index.json", message);
    }

    [Theory]
    [InlineData("{\"_class_name\": ", "invalid JSON")]
    [InlineData("[1]", "JSON root must be an object")]
    [InlineData("{\"num_layers\": 2}", "'_class_name'")]
    [InlineData("{\"_class_name\": \"\\ud800\"}", "invalid JSON")]
    public void BadConfig(string config, string expected)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("config.json"), config);
        var message = ErrorFor(folder.Path);
        Assert.Contains(folder.File("config.json"), message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void PipelineWithoutTransformerFolder()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("model_index.json"), """{"transformer":["diffusers","SD3Transformer2DModel"]}""");
        Assert.Contains("transformer", ErrorFor(folder.Path));
    }

    [Fact]
    public void PipelineWithInvalidIndex()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("model_index.json"), "{");
        Assert.Contains(folder.File("model_index.json"), ErrorFor(folder.Path));
    }
}
