using System.Text.Json;
using RasNative.Loaders.ModelSources;
using RasNative.Tests;
using Xunit;
using static RasNative.Loaders.Tests.SingleFileFixtures;

namespace RasNative.Loaders.Tests;

/// <summary>
/// Single files give exactly the tensors of the diffusers / transformers folders they were written from
/// (fixtures/sd3-single-file: the same weights, checked there against diffusers' own conversions): the same
/// names, dtypes, shapes and bits.
/// </summary>
public class SingleFileMappingTests
{
    [Theory]
    [InlineData("sd3-tiny", 95)]
    [InlineData("sd35-tiny", 117)]
    public void SaiTransformerEqualsTheDiffusersFolder(string model, int tensors)
    {
        var source = ModelSource.Open(SaiFile(model), new ModelSourceOptions { TransformerConfig = TransformerConfig(model) });
        Assert.Equal(CheckpointDialect.SaiSingleFile, source.Dialect);
        var transformer = source.Get(PipelineComponent.Transformer);
        using var expected = ModelSource.Open(TransformerFolder(model)).Get(PipelineComponent.Transformer).OpenWeights();
        using var actual = transformer.OpenWeights();
        Assert.Equal(tensors, actual.Tensors.Count);
        AssertBitIdentical(expected, actual, model);
    }

    [Theory]
    [InlineData(PipelineComponent.Transformer, 67)]
    [InlineData(PipelineComponent.Vae, 120)]
    [InlineData(PipelineComponent.TextEncoder, 37)]
    [InlineData(PipelineComponent.TextEncoder2, 53)]
    [InlineData(PipelineComponent.TextEncoder3, 21)]
    public void AllInOneComponentEqualsThePipelineFolder(PipelineComponent kind, int tensors)
    {
        var source = OpenAllInOne();
        Assert.Equal(CheckpointDialect.AllInOneSingleFile, source.Dialect);
        var component = source.Get(kind);
        Assert.Null(component.Folder);
        Assert.False(component.TextProjectionIsIdentity);
        using var expected = ModelSource.Open(Pipeline).Get(kind).OpenWeights();
        using var actual = component.OpenWeights();
        Assert.Equal(tensors, actual.Tensors.Count);
        AssertBitIdentical(expected, actual, kind.SubfolderName());
    }

    [Fact]
    public void T5sTiedCopyAndNothingElseIsLeftOut()
    {
        var t5 = OpenAllInOne().Get(PipelineComponent.TextEncoder3);
        Assert.Equal(["text_encoders.t5xxl.transformer.encoder.embed_tokens.weight"], t5.Notes.Select(n => n.Split(' ')[0]));
        using var file = SafetensorsFile.Open(AllInOne);
        using var weights = t5.OpenWeights();
        // The copy equals what is kept (shared.weight), so dropping it loses nothing.
        Assert.Equal(file.ReadFloat32("text_encoders.t5xxl.transformer.encoder.embed_tokens.weight"), weights.ReadFloat32("shared.weight"));
        Assert.Empty(OpenAllInOne().IgnoredTensors);
    }

    [Fact]
    public void ConfigsFromTheTextEncoderAndVaeFolderAreUsedAsGiven()
    {
        var source = OpenAllInOne();
        foreach (var kind in new[] { PipelineComponent.Transformer, PipelineComponent.Vae, PipelineComponent.TextEncoder, PipelineComponent.TextEncoder2, PipelineComponent.TextEncoder3 })
        {
            var component = source.Get(kind);
            string configPath = Path.Combine(Pipeline, kind.SubfolderName(), "config.json");
            Assert.StartsWith(configPath, component.ConfigSource);
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(File.ReadAllText(configPath)).RootElement, component.Config), kind.ToString());
        }
    }

    [Fact]
    public void TokenizersOfASingleFileComeFromTheTextEncodersFolder()
    {
        var source = OpenAllInOne();
        foreach (var kind in new[] { PipelineComponent.Tokenizer, PipelineComponent.Tokenizer2, PipelineComponent.Tokenizer3 })
            Assert.Equal(Path.Combine(Pipeline, kind.SubfolderName()), source.Get(kind).Folder);
        var alone = ModelSource.Open(AllInOne);
        Assert.False(alone.Has(PipelineComponent.Tokenizer));
        var message = ErrorOf(() => alone.Get(PipelineComponent.Tokenizer2));
        Assert.Contains("tokenizer_2", message);
        Assert.Contains("--text-encoders", message);
    }

    [Fact]
    public void TextEncodersMissingFromTheFileComeFromTheFolder()
    {
        var source = ModelSource.Open(SaiFile("sd3-tiny"), new ModelSourceOptions { TransformerConfig = TransformerConfig("sd3-tiny"), TextEncoders = Pipeline });
        Assert.Equal(Path.Combine(Pipeline, "text_encoder_3"), source.Get(PipelineComponent.TextEncoder3).Folder);
        Assert.Contains("--vae", ErrorOf(() => source.Get(PipelineComponent.Vae)));
    }

    [Fact]
    public void BareSaiAndBareDiffusersTransformerFilesMapLikeThePrefixedOne()
    {
        using var temp = new TempFolder();
        Rewrite(SaiFile("sd35-tiny"), temp.File("bare.safetensors"), name => name["model.diffusion_model.".Length..]);
        var options = new ModelSourceOptions { TransformerConfig = TransformerConfig("sd35-tiny") };
        using var expected = ModelSource.Open(TransformerFolder("sd35-tiny")).Get(PipelineComponent.Transformer).OpenWeights();
        var bare = ModelSource.Open(temp.File("bare.safetensors"), options);
        Assert.Equal(CheckpointDialect.SaiSingleFile, bare.Dialect);
        using (var weights = bare.Get(PipelineComponent.Transformer).OpenWeights())
            AssertBitIdentical(expected, weights, "bare SAI");
        var diffusers = ModelSource.Open(Path.Combine(TransformerFolder("sd35-tiny"), "diffusion_pytorch_model.safetensors"), options);
        Assert.Equal(CheckpointDialect.DiffusersSingleFile, diffusers.Dialect);
        using (var weights = diffusers.Get(PipelineComponent.Transformer).OpenWeights())
            AssertBitIdentical(expected, weights, "diffusers-named file");
    }

    [Fact]
    public void TheTestWriterReproducesTheFixturesSaiFiles()
    {
        // SaiLayoutWriter (tests/Common) makes the SAI files of bench presets for the CLI tests; here it must give the fixture's bytes.
        foreach (var model in new[] { "sd3-tiny", "sd35-tiny" })
        {
            using var temp = new TempFolder();
            using (var folder = CheckpointOpener.Open(TransformerFolder(model)))
                SafetensorsWriter.Write(temp.File("sai.safetensors"), SaiLayoutWriter.Convert(folder));
            using var expected = SafetensorsFile.Open(SaiFile(model));
            using var written = SafetensorsFile.Open(temp.File("sai.safetensors"));
            AssertBitIdentical(expected, written, model);
        }
    }

    [Fact]
    public void Fp8AllInOneMapsItsT5AndKeepsTheRestByteIdentical()
    {
        ModelSource source;
        try
        {
            source = OpenAllInOne(AllInOneFp8);
        }
        catch (SafetensorsException e) when (e.Message.Contains("F8_E4M3"))
        {
            // TODO(fp8 dtypes, weights branch): runs once loaders/DType.cs has F8_E4M3 and its decoding.
            Assert.Skip("F8_E4M3 safetensors dtype not supported yet (the fp8 / 16-bit weights work adds it): " + e.Message);
            return;
        }
        var fp32 = OpenAllInOne();
        foreach (var kind in new[] { PipelineComponent.Transformer, PipelineComponent.Vae, PipelineComponent.TextEncoder, PipelineComponent.TextEncoder2 })
        {
            using var expected = fp32.Get(kind).OpenWeights();
            using var actual = source.Get(kind).OpenWeights();
            AssertBitIdentical(expected, actual, kind.SubfolderName());
        }
        using var t5 = source.Get(PipelineComponent.TextEncoder3).OpenWeights();
        using var folder = ModelSource.Open(Pipeline).Get(PipelineComponent.TextEncoder3).OpenWeights();
        Assert.Equal(folder.Tensors.Select(t => t.Name), t5.Tensors.Select(t => t.Name));
        Assert.All(t5.Tensors, t => Assert.Equal("F8_E4M3", t.DType.ToString()));
        var check = JsonDocument.Parse(File.ReadAllText(FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_t5xxlfp8_check.json"))).RootElement.GetProperty("example");
        var expectedValues = check.GetProperty("dequantized_f32").Deserialize<float[]>()!;
        string name = check.GetProperty("name").GetString()!["text_encoders.t5xxl.transformer.".Length..];
        Assert.Equal(expectedValues.Select(BitConverter.SingleToInt32Bits), t5.ReadFloat32(name).Select(BitConverter.SingleToInt32Bits));
    }
}
