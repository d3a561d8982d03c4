using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Tests.Models.TextEncoders;
using RasNative.Sampler.Text;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// The text encoders on the CUDA backend in every storage dtype against transformers (fixtures/text-encoders), every
/// output the case files hold, and encode_prompt's assembly on CUDA backends against diffusers (ReferenceBounds).
/// </summary>
public class TextEncoderCudaFixtureTests
{
    public static TheoryData<string, string, CudaDType> ClipCases()
    {
        var data = new TheoryData<string, string, CudaDType>();
        foreach (var encoder in new[] { "text_encoder", "text_encoder_2" })
            foreach (var c in new[] { "case_1", "case_2", "case_mask" })
                foreach (var dtype in Enum.GetValues<CudaDType>())
                    data.Add(encoder, c, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(ClipCases))]
    public void ClipMatchesTransformers(string encoder, string caseName, CudaDType dtype)
    {
        using var backend = GpuRequirement.CreateBackend(dtype);
        var model = TextEncoderFixture.LoadClip(TextEncoderFixture.Folder(encoder), backend);
        using var file = TextEncoderFixture.Case(encoder, caseName);
        var (recorded, penultimate, textEmbeds) = TextEncoderFixture.RunClip(model, backend, file);
        ReferenceBounds.AssertMatches(file.ReadFloat32("penultimate_hidden_state"), penultimate, dtype, $"{encoder}/{caseName} penultimate ({dtype})");
        ReferenceBounds.AssertMatches(file.ReadFloat32("text_embeds"), textEmbeds, dtype, $"{encoder}/{caseName} text_embeds ({dtype})");
        foreach (var (name, expected, actual) in TextEncoderFixture.Pairs(recorded, file, "penultimate_hidden_state"))
            ReferenceBounds.AssertMatches(expected, actual, dtype, $"{encoder}/{caseName} {name} ({dtype})");
    }

    public static TheoryData<string, CudaDType> T5Cases()
    {
        var data = new TheoryData<string, CudaDType>();
        foreach (var c in new[] { "case_1", "case_2_mask", "case_3_long" })
            foreach (var dtype in Enum.GetValues<CudaDType>())
                data.Add(c, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(T5Cases))]
    public void T5MatchesTransformers(string caseName, CudaDType dtype)
    {
        using var backend = GpuRequirement.CreateBackend(dtype);
        var model = TextEncoderFixture.LoadT5(TextEncoderFixture.Folder("text_encoder_3"), backend);
        using var file = TextEncoderFixture.Case("text_encoder_3", caseName);
        var (recorded, last) = TextEncoderFixture.RunT5(model, backend, file);
        ReferenceBounds.AssertMatches(file.ReadFloat32("last_hidden_state"), last, dtype, $"T5 {caseName} last_hidden_state ({dtype})");
        foreach (var (name, expected, actual) in TextEncoderFixture.Pairs(recorded, file))
            ReferenceBounds.AssertMatches(expected, actual, dtype, $"T5 {caseName} {name} ({dtype})");
    }

    /// <summary>The fp8 all-in-one file's T5, its E4M3 weights kept 8-bit on the device and widened per GEMM / lookup.</summary>
    [Fact]
    public void Fp8AllInOneT5MatchesTransformers()
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var source = ModelSource.Open(FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp8.safetensors"),
            new ModelSourceOptions { TextEncoders = FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny") });
        var model = Runtime.Models.TextEncoders.T5.T5Encoder.Load(source.Get(PipelineComponent.TextEncoder3), backend);
        using var outputs = Loaders.SafetensorsFile.Open(FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_t5xxlfp8_t5_outputs.safetensors"));
        var last = TextEncoderFixture.Download(backend, model.Forward(TextEncoderFixture.Ids(outputs, "case_2.t5_input_ids")));
        ReferenceBounds.AssertMatches(outputs.ReadFloat32("case_2.t5_last_hidden_state_fp8"), last, CudaDType.F32, "fp8 T5 case_2");
    }

    [Theory]
    [InlineData(CudaDType.F32)]
    [InlineData(CudaDType.BF16)]
    public void PromptAssemblyMatchesDiffusers(CudaDType dtype)
    {
        var (available, reason) = GpuAvailability.Check();
        if (!available) Assert.Skip("no CUDA driver/GPU: " + reason);
        var source = ModelSource.Open(FixturePaths.Get("text-encoders"));
        var ids = Sd3TokenIds.Tokenize(Sd3Tokenizers.Load(source, t5: true),
            new Sd3Prompts { Prompt = ["a photo of a cat", "an astronaut riding a horse on mars, highly detailed, 4k, trending on artstation"] }, 16, guidance: true);
        var result = new Sd3PromptEncoder(source, () => GpuRequirement.CreateBackend(dtype)).Encode(ids);
        using var expected = Loaders.SafetensorsFile.Open(FixturePaths.Get("text-encoders", "assembly_1.safetensors"));
        ReferenceBounds.AssertMatches(expected.ReadFloat32("prompt_embeds"), result.PromptEmbeds, dtype, $"assembly_1 prompt_embeds ({dtype})");
        ReferenceBounds.AssertMatches(expected.ReadFloat32("negative_pooled_prompt_embeds"), result.NegativePooledPromptEmbeds!, dtype, $"assembly_1 negative pooled ({dtype})");
    }
}
