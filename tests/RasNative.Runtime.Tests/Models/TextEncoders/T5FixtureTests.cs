using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models.TextEncoders.T5;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models.TextEncoders;

/// <summary>T5EncoderModel on the CPU against transformers (fixtures/text-encoders, README tolerance 3e-5 + 1e-5·|ref|).</summary>
public class T5FixtureTests
{
    const double Atol = 3e-5, Rtol = 1e-5;

    [Theory]
    [InlineData("case_1")]
    [InlineData("case_2_mask")]
    [InlineData("case_3_long")]
    public void EveryOutputMatchesTransformers(string caseName)
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadT5(TextEncoderFixture.Folder("text_encoder_3"), backend);
        using var file = TextEncoderFixture.Case("text_encoder_3", caseName);
        var (recorded, last) = TextEncoderFixture.RunT5(model, backend, file);
        Closeness.AssertClose(file.ReadFloat32("last_hidden_state"), last, Atol, Rtol, $"{caseName} last_hidden_state");
        int compared = 0;
        foreach (var (name, expected, actual) in TextEncoderFixture.Pairs(recorded, file))
        {
            Closeness.AssertClose(expected, actual, Atol, Rtol, $"{caseName} {name}");
            compared++;
        }
        Assert.Equal(model.Config.NumLayers + 2, compared);   // hidden_states.0 … N, last_hidden_state
    }

    [Fact]
    public void EveryIntermediateMatchesTransformers()
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadT5(TextEncoderFixture.Folder("text_encoder_3"), backend);
        using var inputs = TextEncoderFixture.Case("text_encoder_3", "case_1");
        using var expected = TextEncoderFixture.Case("text_encoder_3", "case_1_intermediates");
        var (recorded, _) = TextEncoderFixture.RunT5(model, backend, inputs);
        var pairs = TextEncoderFixture.Pairs(recorded, expected, "position_bias").ToList();
        Assert.Equal(expected.Tensors.Count - 1, pairs.Count);
        foreach (var (name, reference, actual) in pairs)
            Closeness.AssertClose(reference, actual, Atol, Rtol, $"case_1 {name}");
    }

    [Fact]
    public void BucketsMatchTransformersBeyondTheMaximumDistance()
    {
        using var file = TextEncoderFixture.Case("text_encoder_3", "case_3_long");
        var relative = file.ReadInt64("relative_positions");
        var expected = file.ReadInt64("relative_position_bucket");
        Assert.Equal(-159, relative[0]);
        for (int i = 0; i < relative.Length; i++)
            Assert.True(expected[i] == T5RelativePositions.Bucket((int)relative[i], 32, 128), $"bucket of {relative[i]}: expected {expected[i]}");
        Assert.Equal(expected.Select(b => (int)b), T5RelativePositions.Buckets(160, 160, 32, 128));
    }

    /// <summary>The fixture's materialised position_bias [B, H, L, L] is the table read at our buckets: the layout the attention adds.</summary>
    [Fact]
    public void PositionBiasIsTheTableAtTheBuckets()
    {
        using var weights = SafetensorsFile.Open(Path.Combine(TextEncoderFixture.Folder("text_encoder_3"), "model.safetensors"));
        using var intermediates = TextEncoderFixture.Case("text_encoder_3", "case_1_intermediates");
        var table = weights.ReadFloat32("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight");
        var bias = intermediates.ReadFloat32("position_bias");
        const int heads = 4, length = 16;
        var buckets = T5RelativePositions.Buckets(length, length, 32, 128);
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < length; i++)
                    for (int j = 0; j < length; j++)
                        Assert.Equal(table[buckets[j - i + length - 1] * heads + h], bias[((b * heads + h) * length + i) * length + j]);
    }

    /// <summary>The saved pipeline folder's text_encoder_3 lacks the tied encoder.embed_tokens.weight: shared.weight serves.</summary>
    [Fact]
    public void APipelineFolderWithoutTheTiedCopyUsesShared()
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadT5(FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny"), backend);
        using var file = TextEncoderFixture.Case("text_encoder_3", "case_1");
        var (_, last) = TextEncoderFixture.RunT5(model, backend, file);
        Closeness.AssertClose(file.ReadFloat32("last_hidden_state"), last, Atol, Rtol, "pipeline folder T5 case_1");
    }

    public static TheoryData<string, string> AllInOneCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, suffix) in new[] { ("sd3-pipeline-tiny_incl_clips_t5xxlfp8.safetensors", "fp8"), ("sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors", "f32") })
            foreach (var ids in new[] { "case_1.t5_input_ids", "case_1.negative_t5_input_ids", "case_2.t5_input_ids" })
                data.Add(file + "|" + suffix, ids);
        return data;
    }

    /// <summary>fixtures/sd3-single-file: the all-in-one files' T5 (fp8 E4M3 weights, every tensor, kept 8-bit; or F32) against transformers.</summary>
    [Theory]
    [MemberData(nameof(AllInOneCases))]
    public void AllInOneFileT5MatchesTransformers(string fileAndSuffix, string idsName)
    {
        var (fileName, suffix) = (fileAndSuffix.Split('|')[0], fileAndSuffix.Split('|')[1]);
        using var backend = new CpuBackend();
        var source = ModelSource.Open(FixturePaths.Get("sd3-single-file", fileName),
            new ModelSourceOptions { TextEncoders = FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny") });
        var model = T5Encoder.Load(source.Get(PipelineComponent.TextEncoder3), backend);
        using var outputs = SafetensorsFile.Open(FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_t5xxlfp8_t5_outputs.safetensors"));
        var last = TextEncoderFixture.Download(backend, model.Forward(TextEncoderFixture.Ids(outputs, idsName)));
        string expectedName = idsName.Replace("t5_input_ids", "t5_last_hidden_state_" + suffix);
        Closeness.AssertClose(outputs.ReadFloat32(expectedName), last, Atol, Rtol, $"{fileName} {expectedName}");
        if (suffix == "fp8")
        {
            // The 8-bit tables and matrices stay 8-bit: under a third of the float32 model (norms and the bias table stay float32).
            long float32Bytes = TextEncoderFixture.LoadT5(FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny"), backend).WeightBytes;
            Assert.True(model.WeightBytes * 3 < float32Bytes, $"fp8 weights held in {model.WeightBytes} bytes, float32 in {float32Bytes}");
        }
    }
}
