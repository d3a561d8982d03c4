using System.Text.Json;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Cpu;
using RasNative.Sampler.Text;
using RasNative.Tests;
using Xunit;

namespace RasNative.Sampler.Tests.Text;

/// <summary>
/// encode_prompt end to end on the CPU (tokenizers → encoders → assembly) against diffusers' assembly_1 / assembly_2
/// (fixtures/text-encoders): ids exact, CLIP rows within the CLIP tolerance, T5 rows within the T5 one, padding exactly 0.
/// </summary>
public class PromptAssemblyFixtureTests
{
    static string Folder => FixturePaths.Get("text-encoders");

    public static TheoryData<string> Cases() => ["assembly_1", "assembly_2"];

    /// <summary>The case's encode_prompt arguments from assembly_cases.json (a string or a list per prompt argument, as Python allows).</summary>
    static (Sd3Prompts Prompts, int? ClipSkip, int Images) Arguments(string caseName)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "assembly_cases.json")));
        var arguments = json.RootElement.GetProperty("cases").GetProperty(caseName);
        IReadOnlyList<string>? Texts(string name) => arguments.GetProperty(name) switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } text => text.GetString() is { Length: > 0 } value ? [value] : null,   // "" is falsy
            var list => [.. list.EnumerateArray().Select(t => t.GetString()!)],
        };
        var prompts = new Sd3Prompts
        {
            Prompt = Texts("prompt")!, Prompt2 = Texts("prompt_2"), Prompt3 = Texts("prompt_3"),
            NegativePrompt = Texts("negative_prompt"), NegativePrompt2 = Texts("negative_prompt_2"), NegativePrompt3 = Texts("negative_prompt_3"),
        };
        var clipSkip = arguments.GetProperty("clip_skip");
        Assert.Equal(16, arguments.GetProperty("max_sequence_length").GetInt32());
        return (prompts, clipSkip.ValueKind == JsonValueKind.Null ? null : clipSkip.GetInt32(), arguments.GetProperty("num_images_per_prompt").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodePromptMatchesDiffusers(string caseName)
    {
        var (prompts, clipSkip, images) = Arguments(caseName);
        var source = ModelSource.Open(Folder);
        var ids = Sd3TokenIds.Tokenize(Sd3Tokenizers.Load(source, t5: true), prompts, maxSequenceLength: 16, guidance: true);
        var encoders = new List<PipelineComponent>();
        var result = new Sd3PromptEncoder(source, () => new CpuBackend()) { OnEncoder = encoders.Add }.Encode(ids, clipSkip, images);
        using var expected = SafetensorsFile.Open(Path.Combine(Folder, caseName + ".safetensors"));

        Assert.Equal([PipelineComponent.TextEncoder, PipelineComponent.TextEncoder2, PipelineComponent.TextEncoder3], encoders);
        foreach (var (name, rows) in new[]
        {
            ("clip_l_input_ids", ids.Positive.ClipL), ("clip_g_input_ids", ids.Positive.ClipG), ("t5_input_ids", ids.Positive.T5!),
            ("negative_clip_l_input_ids", ids.Negative!.ClipL), ("negative_clip_g_input_ids", ids.Negative.ClipG), ("negative_t5_input_ids", ids.Negative.T5!),
        })
            Assert.Equal(expected.ReadInt64(name), rows.SelectMany(r => r).Select(id => (long)id));
        Assert.Equal((2, 93, 96, 40), (result.Batch, result.Tokens, result.Width, result.PooledWidth));
        AssertEmbeds(expected.ReadFloat32("prompt_embeds"), result.PromptEmbeds, caseName + " prompt_embeds");
        AssertEmbeds(expected.ReadFloat32("negative_prompt_embeds"), result.NegativePromptEmbeds!, caseName + " negative_prompt_embeds");
        Closeness.AssertClose(expected.ReadFloat32("pooled_prompt_embeds"), result.PooledPromptEmbeds, 1e-5, 1e-5, caseName + " pooled");
        Closeness.AssertClose(expected.ReadFloat32("negative_pooled_prompt_embeds"), result.NegativePooledPromptEmbeds!, 1e-5, 1e-5, caseName + " negative pooled");
        if (caseName == "assembly_2") Assert.Contains(ids.Notices, n => n.Encoder == "T5" && n.Side == "prompt" && n.Dropped.Length > 0);
    }

    /// <summary>[B, 77 + 16, 96]: CLIP channels 0…79 of tokens 0…76 (CLIP tolerance), their channels 80…95 exactly 0, then the T5 tokens.</summary>
    static void AssertEmbeds(float[] expected, float[] actual, string what)
    {
        const int tokens = 93, width = 96, clipTokens = 77, clipWidth = 80;
        Assert.Equal(expected.Length, actual.Length);
        var (clipExpected, clipActual, t5Expected, t5Actual) = (new List<float>(), new List<float>(), new List<float>(), new List<float>());
        for (int i = 0; i < actual.Length; i++)
        {
            int token = i / width % tokens, channel = i % width;
            if (token >= clipTokens) { t5Expected.Add(expected[i]); t5Actual.Add(actual[i]); }
            else if (channel < clipWidth) { clipExpected.Add(expected[i]); clipActual.Add(actual[i]); }
            else Assert.True(actual[i] == 0f && expected[i] == 0f, $"{what}: padding channel {channel} of token {token} is {actual[i]}");
        }
        Closeness.AssertClose([.. clipExpected], [.. clipActual], 1e-5, 1e-5, what + " CLIP rows");
        Closeness.AssertClose([.. t5Expected], [.. t5Actual], 3e-5, 1e-5, what + " T5 rows");
    }
}
