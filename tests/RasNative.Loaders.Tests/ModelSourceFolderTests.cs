using RasNative.Loaders.ModelSources;
using RasNative.Tests;
using Xunit;
using static RasNative.Loaders.Tests.SingleFileFixtures;

namespace RasNative.Loaders.Tests;

/// <summary>The one folder rule: a pipeline folder (model_index.json optional), or one component's folder.</summary>
public class ModelSourceFolderTests
{
    [Fact]
    public void ATransformerFolder()
    {
        var path = FixturePaths.Get("sd3", "sd3-tiny");
        var source = ModelSource.Open(path);
        Assert.Equal(CheckpointDialect.DiffusersComponentFolder, source.Dialect);
        var transformer = source.Get(PipelineComponent.Transformer);
        Assert.Equal(path, transformer.Folder);
        Assert.Equal(Path.Combine(path, "config.json"), transformer.ConfigSource);
        Assert.Equal("SD3Transformer2DModel", transformer.ClassName);
        Assert.Equal(3, Sd3TransformerConfig.FromJson(transformer.Config, transformer.ConfigSource).NumLayers);
        Assert.Null(source.Find(PipelineComponent.Scheduler));
        using var weights = transformer.OpenWeights();
        Assert.Equal(95, weights.Tensors.Count);
    }

    [Fact]
    public void APipelineFolder()
    {
        var path = FixturePaths.Get("ras-lumina", "pipeline");
        var source = ModelSource.Open(path);
        Assert.Equal(CheckpointDialect.DiffusersPipeline, source.Dialect);
        var transformer = source.Get(PipelineComponent.Transformer);
        Assert.Equal(Path.Combine(path, "transformer"), transformer.Folder);
        Assert.Equal("LuminaNextDiT2DModel", transformer.ClassName);
        var scheduler = source.Get(PipelineComponent.Scheduler);
        Assert.Equal(Path.Combine(path, "scheduler", "scheduler_config.json"), scheduler.ConfigSource);
        Assert.Equal(new FlowMatchSchedulerConfig(1000, 1.0), FlowMatchSchedulerConfig.FromJson(scheduler.Config, scheduler.ConfigSource));
        Assert.Equal(32, LuminaNextConfig.FromJson(transformer.Config, transformer.ConfigSource).HiddenSize);
        using var weights = transformer.OpenWeights();
        Assert.Contains(weights.Tensors, t => t.Name == "pad_token");
    }

    [Fact]
    public void EveryComponentOfTheSd3Pipeline()
    {
        var source = ModelSource.Open(Pipeline);
        foreach (var kind in Enum.GetValues<PipelineComponent>())
        {
            var component = source.Get(kind);
            Assert.Equal(Path.Combine(Pipeline, kind.SubfolderName()), component.Folder);
            Assert.Equal(kind.HasWeights(), component.HasWeights);
        }
        Assert.Equal("T5EncoderModel", source.Get(PipelineComponent.TextEncoder3).ClassName);
        Assert.Equal("AutoencoderKL", source.Get(PipelineComponent.Vae).ClassName);
        using var t5 = source.Get(PipelineComponent.TextEncoder3).OpenWeights();
        Assert.Equal(21, t5.Tensors.Count);
    }

    [Fact]
    public void ComponentSubfoldersSufficeWithoutModelIndex()
    {
        using var temp = new TempFolder();
        foreach (var sub in new[] { "transformer", "vae", "scheduler" })
            CopyFolder(Path.Combine(Pipeline, sub), Path.Combine(temp.Path, sub));
        var source = ModelSource.Open(temp.Path);
        Assert.Equal(CheckpointDialect.DiffusersPipeline, source.Dialect);
        Assert.Equal(3.0, FlowMatchSchedulerConfig.FromJson(source.Get(PipelineComponent.Scheduler).Config).Shift);
        Assert.True(source.Has(PipelineComponent.Vae));
        var message = ErrorOf(() => source.Get(PipelineComponent.TextEncoder2));
        Assert.Contains(Path.Combine(temp.Path, "text_encoder_2"), message);
    }

    [Fact]
    public void AMissingComponentNamesTheSubfolderItLookedFor()
    {
        using var temp = new TempFolder();
        CopyFolder(Path.Combine(Pipeline, "transformer"), Path.Combine(temp.Path, "transformer"));
        File.Copy(Path.Combine(Pipeline, "model_index.json"), temp.File("model_index.json"));
        var message = ErrorOf(() => ModelSource.Open(temp.Path).Get(PipelineComponent.Vae));
        Assert.Contains(Path.Combine(temp.Path, "vae"), message);
        Assert.Contains("named in", message);
        var tokenizer = ErrorOf(() => ModelSource.Open(temp.Path).Get(PipelineComponent.Tokenizer3));
        Assert.Contains("tokenizer_3", tokenizer);
    }

    [Fact]
    public void AComponentFolderServesItsOwnKind()
    {
        var vae = ModelSource.Open(FixturePaths.Get("vae", "sd3-vae-tiny"));
        Assert.True(vae.Has(PipelineComponent.Vae));
        Assert.False(vae.Has(PipelineComponent.Transformer));
        Assert.Contains("transformer", ErrorOf(() => vae.Get(PipelineComponent.Transformer)));
        var clip = ModelSource.Open(FixturePaths.Get("text-encoders", "text_encoder_2"));
        Assert.Equal(clip.Get(PipelineComponent.TextEncoder).Folder, clip.Get(PipelineComponent.TextEncoder2).Folder);
        Assert.True(ModelSource.Open(FixturePaths.Get("text-encoders", "text_encoder_3")).Has(PipelineComponent.TextEncoder3));
    }

    [Fact]
    public void AConfigIsForSingleFilesOnly()
    {
        var message = ErrorOf(() => ModelSource.Open(TransformerFolder("sd3-tiny"), new ModelSourceOptions { TransformerConfig = TransformerConfig("sd3-tiny") }));
        Assert.Contains("single files", message);
    }

    [Fact]
    public void MissingPath()
    {
        using var folder = new TempFolder();
        var missing = folder.File("absent");
        Assert.Contains(missing, ErrorOf(() => ModelSource.Open(missing)));
    }

    [Fact]
    public void FolderWithoutConfig()
    {
        using var folder = new TempFolder();
        var message = ErrorOf(() => ModelSource.Open(folder.Path));
        Assert.Contains(folder.Path, message);
        Assert.Contains("config.json", message);
        Assert.Contains("model_index.json", message);
        Assert.Contains("transformer/", message);
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
        var message = ErrorOf(() => ModelSource.Open(folder.Path));
        Assert.Contains(folder.File("config.json"), message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void PipelineWithoutTransformerFolder()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("model_index.json"), """{"transformer":["diffusers","SD3Transformer2DModel"]}""");
        var message = ErrorOf(() => ModelSource.Open(folder.Path).Get(PipelineComponent.Transformer));
        Assert.Contains(folder.File("transformer"), message);
        Assert.Contains("model_index.json", message);
    }

    [Fact]
    public void PipelineWithInvalidIndex()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("model_index.json"), "{");
        Assert.Contains(folder.File("model_index.json"), ErrorOf(() => ModelSource.Open(folder.Path)));
    }

    [Fact]
    public void ComponentFolderWithoutConfigNamesIt()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("vae"));
        Assert.Contains(Path.Combine(folder.File("vae"), "config.json"), ErrorOf(() => ModelSource.Open(folder.Path).Get(PipelineComponent.Vae)));
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
