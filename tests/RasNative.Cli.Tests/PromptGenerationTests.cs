using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>
/// generate --prompt end to end against diffusers' StableDiffusion3Pipeline (fixtures/sd3-pipeline): token ids exact,
/// embeddings within 3e-5 + 1e-5·|ref|, final latents within the free-running bound 1e-4 + 1e-5·|ref| and their decode
/// within 1e-4, deterministic;
/// from the pipeline folder and from the all-in-one single file with the folder's tokenizers; the PNG (decoded by the
/// folder's VAE or the file's first_stage_model) equals the pipeline's image except ±1 near a rounding boundary.
/// </summary>
public class PromptGenerationTests
{
    const double EmbedAtol = 3e-5, EmbedRtol = 1e-5, LatentAtol = 1e-4, LatentRtol = 1e-5, DecodedAtol = 1e-4;

    static readonly string[] Ids =
    [
        "clip_l_input_ids", "clip_g_input_ids", "t5_input_ids", "negative_clip_l_input_ids", "negative_clip_g_input_ids", "negative_t5_input_ids",
    ];

    static readonly string[] Embeddings = ["prompt_embeds", "pooled_prompt_embeds", "negative_prompt_embeds", "negative_pooled_prompt_embeds"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in new[] { "case_1", "case_2" })
            foreach (var model in new[] { "folder", "single-file" })
                data.Add(c, model);
        return data;
    }

    static string[] Model(string model) => model == "folder"
        ? ["--model", PipelineCase.Pipeline]
        : ["--model", FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors"),
            "--config", Path.Combine(PipelineCase.Pipeline, "transformer", "config.json"), "--text-encoders", PipelineCase.Pipeline,
            // The file's VAE (first_stage_model) with the folder's config: its 4 norm groups are not in the shapes.
            "--vae", PipelineCase.Pipeline];

    [Theory]
    [MemberData(nameof(Cases))]
    public void GenerateFromThePromptReproducesDiffusers(string caseName, string model)
    {
        var run = PipelineCase.Load(caseName);
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run(["generate", .. Model(model), .. run.Flags(),
            "--output", temp.File("out.safetensors"), "--trace", temp.File("trace.safetensors")]);
        Assert.True(code == 0, err);

        using var expected = SafetensorsFile.Open(run.Tensors);
        using var trace = SafetensorsFile.Open(temp.File("trace.safetensors"));
        using var output = SafetensorsFile.Open(temp.File("out.safetensors"));
        foreach (var name in Ids.Where(expected.Contains))
            Assert.Equal(expected.ReadInt64(name), trace.ReadInt64(name));
        foreach (var name in Embeddings.Where(expected.Contains))
            Closeness.AssertClose(expected.ReadFloat32(name), trace.ReadFloat32(name), EmbedAtol, EmbedRtol, $"{caseName} ({model}) {name}");
        Assert.Equal(expected.Contains("negative_prompt_embeds"), trace.Contains("negative_prompt_embeds"));
        Assert.Equal(expected.Info("latents_final").Shape, output.Info("latents").Shape);
        Closeness.AssertClose(expected.ReadFloat32("latents_final"), output.ReadFloat32("latents"), LatentAtol, LatentRtol, $"{caseName} ({model}) latents_final");
        Assert.Equal(run.Prompt, output.Metadata["prompt"]);
        Assert.Equal(run.Seed.ToString(), output.Metadata["seed"]);
        Assert.Equal("off", output.Metadata["ras"]);

        // The free-running pipeline's decode: generate's latents through decode, within the README's 1e-4.
        string[] vae = model == "folder" ? ["--model", PipelineCase.Pipeline]
            : ["--model", FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors"), "--vae", PipelineCase.Pipeline];
        (code, _, err) = CliHarness.Run(["decode", .. vae, "--latents", temp.File("out.safetensors"), "--output", temp.File("decoded.safetensors")]);
        Assert.True(code == 0, err);
        using var decoded = SafetensorsFile.Open(temp.File("decoded.safetensors"));
        Closeness.AssertClose(expected.ReadFloat32("decoded"), decoded.ReadFloat32("sample"), DecodedAtol, 0, $"{caseName} ({model}) decoded");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GenerateFromThePromptToAPngReproducesThePipelinesImage(string caseName, string model)
    {
        var run = PipelineCase.Load(caseName);
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run(["generate", .. Model(model), .. run.Flags(), "--output", temp.File("out.png")]);
        Assert.True(code == 0, err);
        var (pixels, width, height) = PngFile.Pixels(temp.File("out.png"));
        var (reference, referenceWidth, referenceHeight) = PngFile.Pixels(Path.Combine(PipelineCase.Folder, caseName + ".png"));
        Assert.Equal((run.Width, run.Height), (width, height));
        Assert.Equal((referenceWidth, referenceHeight), (width, height));
        Assert.True(PngFile.MaxDifference(reference, pixels) <= 1, $"{caseName} ({model}): pixels differ from the pipeline's PNG by more than one level");
        Assert.StartsWith(run.Prompt, PngFile.InternationalText(temp.File("out.png"), "parameters"));
    }

    [Fact]
    public void RunsAreDeterministic()
    {
        var run = PipelineCase.Load("case_1");
        using var temp = new TempFolder();
        foreach (var name in new[] { "a.safetensors", "b.safetensors" })
        {
            var (code, _, err) = CliHarness.Run(["generate", "--model", PipelineCase.Pipeline, .. run.Flags(), "--output", temp.File(name)]);
            Assert.True(code == 0, err);
        }
        using var a = SafetensorsFile.Open(temp.File("a.safetensors"));
        using var b = SafetensorsFile.Open(temp.File("b.safetensors"));
        Assert.Equal(a.ReadFloat32("latents"), b.ReadFloat32("latents"));
    }

    /// <summary>encode writes what generate --embeddings reads; generating from it equals generating from the prompt.</summary>
    [Fact]
    public void EncodeThenGenerateEqualsGenerateFromThePrompt()
    {
        var run = PipelineCase.Load("case_1");
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run("encode", "--model", PipelineCase.Pipeline, "--prompt", run.Prompt, "--negative-prompt", run.NegativePrompt!,
            "--max-sequence-length", "16", "--output", temp.File("embeddings.safetensors"));
        Assert.True(code == 0, err);
        using (var expected = SafetensorsFile.Open(run.Tensors))
        using (var encoded = SafetensorsFile.Open(temp.File("embeddings.safetensors")))
        {
            foreach (var name in Embeddings)
                Closeness.AssertClose(expected.ReadFloat32(name), encoded.ReadFloat32(name), EmbedAtol, EmbedRtol, "encode " + name);
            foreach (var name in Ids) Assert.Equal(expected.ReadInt64(name), encoded.ReadInt64(name));
            Assert.Equal(run.Prompt, encoded.Metadata["prompt"]);
        }

        (code, _, err) = CliHarness.Run(["generate", "--model", PipelineCase.Pipeline, "--embeddings", temp.File("embeddings.safetensors"),
            .. run.SamplingFlags(), "--output", temp.File("from-embeddings.safetensors")]);
        Assert.True(code == 0, err);
        (code, _, err) = CliHarness.Run(["generate", "--model", PipelineCase.Pipeline, .. run.Flags(), "--output", temp.File("from-prompt.safetensors")]);
        Assert.True(code == 0, err);
        using var fromEmbeddings = SafetensorsFile.Open(temp.File("from-embeddings.safetensors"));
        using var fromPrompt = SafetensorsFile.Open(temp.File("from-prompt.safetensors"));
        Assert.Equal(fromPrompt.ReadFloat32("latents"), fromEmbeddings.ReadFloat32("latents"));
    }

    /// <summary>
    /// The all-in-one file with fp8 (E4M3) T5 weights: its T5 rows of prompt_embeds are the fp8 T5 outputs of
    /// fixtures/sd3-single-file, its CLIP rows and pooled embeddings the folder pipeline's (unchanged by the fp8 file).
    /// </summary>
    [Fact]
    public void EncodeFromTheFp8AllInOneFile()
    {
        var run = PipelineCase.Load("case_1");
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run("encode", "--model", FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp8.safetensors"),
            "--text-encoders", PipelineCase.Pipeline, "--prompt", run.Prompt, "--negative-prompt", run.NegativePrompt!, "--max-sequence-length", "16",
            "--output", temp.File("embeddings.safetensors"));
        Assert.True(code == 0, err);
        using var encoded = SafetensorsFile.Open(temp.File("embeddings.safetensors"));
        using var expected = SafetensorsFile.Open(run.Tensors);
        using var fp8 = SafetensorsFile.Open(FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_t5xxlfp8_t5_outputs.safetensors"));
        const int clipValues = 77 * 96;
        foreach (var (side, fp8Name) in new[] { ("", "case_1.t5_last_hidden_state_fp8"), ("negative_", "case_1.negative_t5_last_hidden_state_fp8") })
        {
            var embeds = encoded.ReadFloat32(side + "prompt_embeds");
            Closeness.AssertClose(expected.ReadFloat32(side + "prompt_embeds")[..clipValues], embeds[..clipValues], EmbedAtol, EmbedRtol, side + "CLIP rows");
            Closeness.AssertClose(fp8.ReadFloat32(fp8Name), embeds[clipValues..], EmbedAtol, EmbedRtol, side + "fp8 T5 rows");
            Closeness.AssertClose(expected.ReadFloat32(side + "pooled_prompt_embeds"), encoded.ReadFloat32(side + "pooled_prompt_embeds"), EmbedAtol, EmbedRtol, side + "pooled");
            Assert.Equal(fp8.ReadInt64(fp8Name.Replace("last_hidden_state_fp8", "input_ids")), encoded.ReadInt64(side + "t5_input_ids"));
        }
    }
}
