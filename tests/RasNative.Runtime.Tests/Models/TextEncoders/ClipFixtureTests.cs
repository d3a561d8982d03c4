using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models.TextEncoders;

/// <summary>CLIPTextModelWithProjection on the CPU against transformers (fixtures/text-encoders, README tolerance 1e-5 + 1e-5·|ref|).</summary>
public class ClipFixtureTests
{
    const double Atol = 1e-5, Rtol = 1e-5;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var encoder in new[] { "text_encoder", "text_encoder_2" })
            foreach (var c in new[] { "case_1", "case_2", "case_mask" })
                data.Add(encoder, c);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryOutputMatchesTransformers(string encoder, string caseName)
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadClip(TextEncoderFixture.Folder(encoder), backend);
        using var file = TextEncoderFixture.Case(encoder, caseName);
        var (recorded, penultimate, textEmbeds) = TextEncoderFixture.RunClip(model, backend, file);

        var ids = TextEncoderFixture.Ids(file);
        var eos = file.ReadInt64("eos_index");
        for (int b = 0; b < ids.Batch; b++)
            Assert.Equal(eos[b], model.EosIndex(ids.Ids.AsSpan(b * ids.Tokens, ids.Tokens)));
        Closeness.AssertClose(file.ReadFloat32("penultimate_hidden_state"), penultimate, Atol, Rtol, $"{encoder}/{caseName} penultimate");
        Closeness.AssertClose(file.ReadFloat32("text_embeds"), textEmbeds, Atol, Rtol, $"{encoder}/{caseName} text_embeds");
        int compared = 0;
        foreach (var (name, expected, actual) in TextEncoderFixture.Pairs(recorded, file, "penultimate_hidden_state"))
        {
            Closeness.AssertClose(expected, actual, Atol, Rtol, $"{encoder}/{caseName} {name}");
            compared++;
        }
        Assert.Equal(model.Layers + 1 + 3, compared);   // hidden_states.0 … N, last_hidden_state, pooled_output, text_embeds
    }

    [Theory]
    [InlineData("text_encoder")]
    [InlineData("text_encoder_2")]
    public void EveryIntermediateMatchesTransformers(string encoder)
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadClip(TextEncoderFixture.Folder(encoder), backend);
        using var inputs = TextEncoderFixture.Case(encoder, "case_1");
        using var expected = TextEncoderFixture.Case(encoder, "case_1_intermediates");
        var (recorded, _, _) = TextEncoderFixture.RunClip(model, backend, inputs);
        var pairs = TextEncoderFixture.Pairs(recorded, expected).ToList();
        Assert.Equal(expected.Tensors.Count, pairs.Count);
        foreach (var (name, reference, actual) in pairs)
            Closeness.AssertClose(reference, actual, Atol, Rtol, $"{encoder} case_1 {name}");
    }

    [Fact]
    public void ClipSkipSelectsAnEarlierHiddenState()
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadClip(TextEncoderFixture.Folder("text_encoder_2"), backend);
        using var file = TextEncoderFixture.Case("text_encoder_2", "case_1");
        var output = model.Forward(TextEncoderFixture.Ids(file), hiddenState: 1);
        Closeness.AssertClose(file.ReadFloat32("hidden_states.1"), TextEncoderFixture.Download(backend, output.HiddenState), Atol, Rtol, "hidden_states.1");
    }

    [Fact]
    public void BadIdsAndStatesAreRefusedNamingThem()
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadClip(TextEncoderFixture.Folder("text_encoder"), backend);
        Assert.Contains("token id 814", Assert.Throws<Runtime.Models.ModelInputException>(() => model.Forward(new([1, 814, 3], 1), 1)).Message);
        Assert.Contains("78 tokens", Assert.Throws<Runtime.Models.ModelInputException>(() => model.Forward(new(new int[78], 1), 1)).Message);
        Assert.Contains("hidden state 3", Assert.Throws<Runtime.Models.ModelInputException>(() => model.Forward(new([1, 2], 1), 3)).Message);
    }

    [Fact]
    public void LegacyConfigsPoolAtTheLargestId()
    {
        using var backend = new CpuBackend();
        var model = TextEncoderFixture.LoadClip(TextEncoderFixture.Folder("text_encoder"), backend);
        var legacy = Runtime.Models.TextEncoders.Clip.ClipTextModel.Load(new Runtime.Models.RandomWeights(1), model.Config with { EosTokenId = 2 }, backend);
        Assert.Equal(2, legacy.EosIndex([5, 9, 700, 3, 700]));
        Assert.Equal(0, model.EosIndex([5, 9, 700]));        // no eos: torch's argmax of zeros
        Assert.Equal(1, model.EosIndex([812, 813, 813]));    // the first eos, never a pad
    }
}
