using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>A transformer from a single file runs exactly as the diffusers folder it was written from.</summary>
public class SingleFileForwardTests
{
    [Theory]
    [MemberData(nameof(Sd3Fixture.SingleFileCases), MemberType = typeof(Sd3Fixture))]
    public void SingleFileForwardEqualsTheFolderForwardBitForBit(string model, string caseName)
    {
        using var backend = new CpuBackend();
        var folder = Sd3Fixture.LoadModel(Sd3Fixture.ModelPath(model), backend);
        var single = Sd3Fixture.LoadSingleFile(model, backend);
        using var file = Sd3Fixture.OpenCase(model, caseName);
        var expected = Sd3Fixture.Run(folder, backend, Sd3Fixture.LoadInputs(file, backend));
        var actual = Sd3Fixture.Run(single, backend, Sd3Fixture.LoadInputs(file, backend));
        Assert.Equal(Bits(expected), Bits(actual));
        Closeness.AssertClose(file.ReadFloat32("sample"), actual, FixtureBounds.Transformer, $"{model}/{caseName} single-file sample");
    }

    [Fact]
    public void AllInOneTransformerReproducesThePipelinesFirstStep()
    {
        // fixtures/sd3-pipeline case_1, step 00 teacher-forced: batch [negative ; prompt] at t = 1000 (README bound 2e-5 + 1e-5·|ref|).
        using var backend = new CpuBackend();
        string pipeline = FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny");
        var model = Sd3Transformer.Load(ModelSource.Open(FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors"),
            new ModelSourceOptions { TransformerConfig = Path.Combine(pipeline, "transformer", "config.json") }).Get(PipelineComponent.Transformer), backend);
        using var run = SafetensorsFile.Open(FixturePaths.Get("sd3-pipeline", "case_1.safetensors"));
        var latents = run.ReadFloat32("latents_init");
        float[] Pair(string name) => [.. run.ReadFloat32("negative_" + name), .. run.ReadFloat32(name)];
        var inputs = new Sd3Inputs(backend.Upload([.. latents, .. latents], [2, 16, 16, 16]), backend.Upload(Pair("prompt_embeds"), [2, 93, 96]),
            backend.Upload(Pair("pooled_prompt_embeds"), [2, 40]), [run.ReadFloat32("timesteps")[0], run.ReadFloat32("timesteps")[0]]);
        Closeness.AssertClose(run.ReadFloat32("step00.noise_pred"), Sd3Fixture.Run(model, backend, inputs), FixtureBounds.Transformer, "case_1 step00.noise_pred");
    }

    [Fact]
    public void AReleasedWidthFileNeedsNoConfig()
    {
        // 64-wide heads, as every released SD3 / SD3.5: the config comes whole from the shapes (but sample_size, 128 as released).
        var config = new Sd3TransformerConfig
        {
            SampleSize = 128, PatchSize = 2, InChannels = 4, OutChannels = 8, NumLayers = 3, AttentionHeadDim = 64, NumAttentionHeads = 2,
            JointAttentionDim = 40, CaptionProjectionDim = 128, PooledProjectionDim = 24, PosEmbedMaxSize = 12,
            QkNorm = "rms_norm", DualAttentionLayers = [0, 1],
        };
        using var temp = new TempFolder();
        var weights = new RandomWeights(seed: 7, keep: true);
        using var backend = new CpuBackend();
        var folderModel = Sd3Transformer.Load(weights, config, backend);
        var diffusers = weights.Generated.Select(t => new TensorToWrite(t.Name, weights.Storage, [.. t.Shape.Select(d => (long)d)], t.Data)).ToList();
        SafetensorsWriter.Write(temp.File("diffusers.safetensors"), diffusers);
        using (var written = SafetensorsFile.Open(temp.File("diffusers.safetensors")))
            SafetensorsWriter.Write(temp.File("sai.safetensors"), SaiLayoutWriter.Convert(written));

        var transformer = ModelSource.Open(temp.File("sai.safetensors")).Get(PipelineComponent.Transformer);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(config.ToJsonObject(), System.Text.Json.Nodes.JsonNode.Parse(transformer.Config.GetRawText())),
            transformer.Config.GetRawText());
        var single = Sd3Transformer.Load(transformer, backend);

        var random = new System.Random(3);
        float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f)];
        var inputs = new Sd3Inputs(backend.Upload(Values(2 * 4 * 8 * 6), [2, 4, 8, 6]), backend.Upload(Values(2 * 5 * 40), [2, 5, 40]),
            backend.Upload(Values(2 * 24), [2, 24]), [500f, 20f]);
        Assert.Equal(Bits(Sd3Fixture.Run(folderModel, backend, inputs)), Bits(Sd3Fixture.Run(single, backend, inputs)));
    }

    static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
