using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Vae;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>The CPU decoder and SD3's post-processing against diffusers (fixtures/vae, README tolerances: 1e-5 + 1e-5·|ref|, bytes exact).</summary>
public class VaeFixtureTests
{
    const double Atol = 1e-5, Rtol = 1e-5;

    [Theory]
    [InlineData("case_1")]
    [InlineData("case_2")]
    public void SampleMatchesDiffusers(string caseName)
    {
        using var backend = new CpuBackend();
        var vae = VaeFixture.LoadModel(backend);
        using var file = VaeFixture.OpenCase(caseName);
        var sample = vae.Decode(file.ReadFloat32("latent"), VaeFixture.Shape(file, "latent"));
        Closeness.AssertClose(file.ReadFloat32("sample"), sample, Atol, Rtol, $"{caseName} sample");
    }

    [Fact]
    public void Sd3PostProcessingMatchesThePipeline()
    {
        using var backend = new CpuBackend();
        var vae = VaeFixture.LoadModel(backend);
        using var file = VaeFixture.OpenCase("case_1");
        var scaled = VaeDecoder.Unscale(vae.Config, file.ReadFloat32("latent"));
        Assert.Equal(file.ReadFloat32("pipeline.latent_scaled"), scaled);

        var decoded = vae.Decode(scaled, VaeFixture.Shape(file, "latent"));
        Closeness.AssertClose(file.ReadFloat32("pipeline.decoded"), decoded, Atol, Rtol, "pipeline.decoded");
        Closeness.AssertClose(file.ReadFloat32("pipeline.image_float"), VaeImageProcessor.ToUnitRange(decoded), Atol, Rtol, "pipeline.image_float");
        Assert.Equal(file.ReadStored("pipeline.image_uint8").Bytes.ToArray(), VaeImageProcessor.ToBytes(decoded, 0, 3, 16, 16));
    }

    [Fact]
    public void EveryIntermediateMatchesDiffusers()
    {
        using var backend = new CpuBackend();
        var vae = VaeFixture.LoadModel(backend);
        using var inputs = VaeFixture.OpenCase("case_1");
        using var expected = VaeFixture.OpenCase("case_1_intermediates");
        var recorder = new ActivationRecorder(backend);
        vae.Decode(inputs.ReadFloat32("latent"), VaeFixture.Shape(inputs, "latent"), observer: recorder);

        Assert.NotEmpty(expected.Tensors);
        foreach (var info in expected.Tensors)
        {
            Assert.True(recorder.Recorded.TryGetValue(info.Name, out var recorded), $"the decode recorded no '{info.Name}'");
            var (actual, shape) = VaeFixture.ChannelsFirst(recorded.Data, recorded.Shape);
            Assert.Equal(info.Shape, shape.Select(d => (long)d).ToArray());
            Closeness.AssertClose(expected.ReadFloat32(info.Name), actual, Atol, Rtol, info.Name);
        }
    }

    [Fact]
    public void LatentChannelsOtherThanTheVaesAreRefused()
    {
        using var backend = new CpuBackend();
        var vae = VaeFixture.LoadModel(backend);
        var error = Assert.Throws<ModelInputException>(() => vae.Decode(new float[4 * 8 * 8], [1, 4, 8, 8]));
        Assert.Contains("[B, 16, h, w]", error.Message);
    }

    [Fact]
    public void EncoderTensorsAreKnownExtrasButAStrayTensorIsNot()
    {
        using var edited = new EditedCheckpoint(VaeFixture.ModelPath, tensors => [.. tensors, TensorToWrite.F32("decoder.up_blocks.2.resnets.0.conv1.bias", new float[8], 8)]);
        using var backend = new CpuBackend();
        var error = Assert.Throws<ModelLoadException>(() => VaeFixture.LoadModel(backend, edited.Path));
        Assert.Contains("1 tensor(s) the model does not use: 'decoder.up_blocks.2.resnets.0.conv1.bias'", error.Message);
    }

    [Fact]
    public void MissingDecoderTensorIsNamed()
    {
        using var edited = new EditedCheckpoint(VaeFixture.ModelPath, tensors => tensors.Where(t => t.Name != "decoder.up_blocks.1.resnets.0.conv_shortcut.weight"));
        using var backend = new CpuBackend();
        var error = Assert.Throws<ModelLoadException>(() => VaeFixture.LoadModel(backend, edited.Path));
        Assert.Contains("missing tensor 'decoder.up_blocks.1.resnets.0.conv_shortcut.weight' (expected shape [8, 16, 1, 1])", error.Message);
    }

    /// <summary>
    /// post_quant_conv (SDXL's VAE, Lumina-Next's) is a 1×1 conv on the latent: decoding with it must equal decoding,
    /// without it, the latent that conv gives when computed independently on the host.
    /// </summary>
    [Fact]
    public void PostQuantConvIsAPointwiseMapOfTheLatent()
    {
        var random = new Random(3);
        var kernel = Enumerable.Range(0, 16 * 16).Select(_ => (float)(random.NextDouble() - 0.5) / 2).ToArray();
        var bias = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() - 0.5) / 5).ToArray();
        using var edited = new EditedCheckpoint(VaeFixture.ModelPath, tensors =>
            [.. tensors, TensorToWrite.F32("post_quant_conv.weight", kernel, 16, 16, 1, 1), TensorToWrite.F32("post_quant_conv.bias", bias, 16)]);
        var config = File.ReadAllText(Path.Combine(edited.Path, "config.json")).Replace("\"use_post_quant_conv\": false", "\"use_post_quant_conv\": true");
        File.Delete(Path.Combine(edited.Path, "config.json"));
        File.WriteAllText(Path.Combine(edited.Path, "config.json"), config);

        using var backend = new CpuBackend();
        using var file = VaeFixture.OpenCase("case_2");
        var latent = file.ReadFloat32("latent");
        var shape = VaeFixture.Shape(file, "latent");
        var withConv = VaeFixture.LoadModel(backend, edited.Path).Decode(latent, shape);

        int plane = shape[2] * shape[3];
        var mapped = new float[latent.Length];
        for (int b = 0; b < shape[0]; b++)
            for (int o = 0; o < 16; o++)
                for (int p = 0; p < plane; p++)
                {
                    double sum = bias[o];
                    for (int c = 0; c < 16; c++) sum += (double)kernel[o * 16 + c] * latent[(b * 16 + c) * plane + p];
                    mapped[(b * 16 + o) * plane + p] = (float)sum;
                }
        var reference = VaeFixture.LoadModel(backend).Decode(mapped, shape);
        Closeness.AssertClose(reference, withConv, 1e-5, 1e-5, "decode with post_quant_conv");
    }

    [Fact]
    public void SingleFileVaeDecodesLikeTheFolder()
    {
        using var backend = new CpuBackend();
        var file = FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors");
        var fromFile = VaeDecoder.Load(Loaders.ModelSources.ModelSource.Open(file, new Loaders.ModelSources.ModelSourceOptions { Vae = VaeFixture.ModelPath })
            .Get(Loaders.ModelSources.PipelineComponent.Vae), backend);
        using var inputs = VaeFixture.OpenCase("case_1");
        var latent = inputs.ReadFloat32("latent");
        var shape = VaeFixture.Shape(inputs, "latent");
        Assert.Equal(VaeFixture.LoadModel(backend).Decode(latent, shape), fromFile.Decode(latent, shape));
    }
}
