using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>forward, generate, bench and inspect on single files (fixtures/sd3-single-file; a bench preset written in Stability's layout).</summary>
public class SingleFileCommandTests
{
    static string Folder(string model) => FixturePaths.Get("sd3", model);
    static string Config(string model) => Path.Combine(Folder(model), "config.json");
    static string SaiFile(string model) => FixturePaths.Get("sd3-single-file", model + ".safetensors");
    static string AllInOne => FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors");
    static string Pipeline => FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny");

    static float[] Read(string file, string tensor)
    {
        using var source = SafetensorsFile.Open(file);
        return source.ReadFloat32(tensor);
    }

    static void Run(params string[] args)
    {
        var (code, _, err) = CliHarness.Run(args);
        Assert.True(code == 0, err);
    }

    [Theory]
    [InlineData("sd3-tiny", "case_b")]
    [InlineData("sd35-tiny", "case_c")]
    public void ForwardOnASingleFileWritesTheFolderSampleBitForBit(string model, string caseName)
    {
        using var temp = new TempFolder();
        var inputs = Path.Combine(Folder(model), caseName + ".safetensors");
        Run("forward", "--model", Folder(model), "--inputs", inputs, "--output", temp.File("folder.safetensors"));
        Run("forward", "--model", SaiFile(model), "--config", Config(model), "--inputs", inputs, "--output", temp.File("file.safetensors"));
        Assert.Equal(Read(temp.File("folder.safetensors"), "sample"), Read(temp.File("file.safetensors"), "sample"));
    }

    [Fact]
    public void GenerateOnASingleFileEqualsTheFolderRun()
    {
        using var temp = new TempFolder();
        var random = new System.Random(5);
        float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f)];
        SafetensorsWriter.Write(temp.File("embeddings.safetensors"),
        [
            TensorToWrite.F32("prompt_embeds", Values(6 * 32), 1, 6, 32), TensorToWrite.F32("pooled_prompt_embeds", Values(64), 1, 64),
            TensorToWrite.F32("negative_prompt_embeds", Values(6 * 32), 1, 6, 32), TensorToWrite.F32("negative_pooled_prompt_embeds", Values(64), 1, 64),
        ]);
        string[] Generate(string output, params string[] model) =>
            ["generate", .. model, "--embeddings", temp.File("embeddings.safetensors"), "--seed", "3", "--width", "64", "--height", "64",
             "--steps", "3", "--guidance", "5", "--ras-ratio", "0.5", "--ras-start", "1", "--output", temp.File(output)];
        Run(Generate("folder.safetensors", "--model", Folder("sd3-tiny")));
        Run(Generate("file.safetensors", "--model", SaiFile("sd3-tiny"), "--config", Config("sd3-tiny")));
        Assert.Equal(Read(temp.File("folder.safetensors"), "latents"), Read(temp.File("file.safetensors"), "latents"));
    }

    [Fact]
    public void ABenchPresetInStabilitysLayoutNeedsNoConfig()
    {
        // random:sd3-bench: width 384 = 6 heads × 64, as released models; written by bench --save, converted to Stability's layout.
        using var temp = new TempFolder();
        string saved = temp.File("preset");
        Run("bench", "--model", "random:sd3-bench", "--width", "128", "--height", "128", "--batch", "1", "--text-len", "8", "--repeat", "1", "--json", "--save", saved);
        using (var diffusers = SafetensorsFile.Open(Path.Combine(saved, "diffusion_pytorch_model.safetensors")))
            SafetensorsWriter.Write(temp.File("sd3-bench.safetensors"), SaiLayoutWriter.Convert(diffusers));
        var inputs = Path.Combine(saved, "inputs.safetensors");
        Run("forward", "--model", saved, "--inputs", inputs, "--output", temp.File("folder.safetensors"));
        Run("forward", "--model", temp.File("sd3-bench.safetensors"), "--inputs", inputs, "--output", temp.File("file.safetensors"));
        Assert.Equal(Read(temp.File("folder.safetensors"), "sample"), Read(temp.File("file.safetensors"), "sample"));
        Run("bench", "--model", temp.File("sd3-bench.safetensors"), "--inputs", inputs, "--repeat", "1", "--json");

        var (code, stdout, err) = CliHarness.Run("inspect", temp.File("sd3-bench.safetensors"));
        Assert.True(code == 0, err);
        Assert.Contains("dialect: SAI single file", stdout);
        Assert.Contains("(inferred from the shapes)", stdout);
        Assert.Contains("summary: SD3 MMDiT, 4 joint blocks, 6 heads x 64 (D = 384)", stdout);
    }

    [Fact]
    public void InspectNamesTheDialectComponentsAndConfigs()
    {
        var (code, stdout, err) = CliHarness.Run("inspect", AllInOne, "--config", Path.Combine(Pipeline, "transformer", "config.json"),
            "--text-encoders", Pipeline, "--vae", Pipeline);
        Assert.True(code == 0, err);
        Assert.Contains("total: 283 tensors", stdout);
        Assert.Contains("dialect: all-in-one single file", stdout);
        Assert.Contains("names: SAI MMDiT names, mapped to diffusers names (67 tensors)", stdout);
        Assert.Contains("names: original (LDM) VAE names, mapped to diffusers names (120 tensors)", stdout);
        Assert.Contains("names: transformers names (21 tensors)", stdout);
        Assert.Contains("note: text_encoders.t5xxl.transformer.encoder.embed_tokens.weight ignored", stdout);
        Assert.Contains($"tokenizer_3: {Path.Combine(Pipeline, "tokenizer_3")}", stdout);
        Assert.Contains("absent: scheduler", stdout);
    }

    [Fact]
    public void InspectSaysWhatAFileCannotTellWithoutFailing()
    {
        var (code, stdout, err) = CliHarness.Run("inspect", AllInOne);
        Assert.True(code == 0, err);
        Assert.Contains("transformer: cannot be used:", stdout);
        Assert.Contains("--config", stdout);
        Assert.Contains("text_encoder_2: cannot be used:", stdout);
        Assert.Contains("scaling_factor: 1.5305", stdout);
        Assert.Contains("absent: tokenizer, tokenizer_2, tokenizer_3, scheduler", stdout);
    }

    [Fact]
    public void InspectOfAPipelineFolder()
    {
        var (code, stdout, err) = CliHarness.Run("inspect", Pipeline);
        Assert.True(code == 0, err);
        Assert.Contains("dialect: diffusers pipeline", stdout);
        Assert.Contains("summary: shift 3", stdout);
        Assert.Contains("summary: SD3 MMDiT, 2 joint blocks, 2 heads x 16 (D = 32)", stdout);
    }

    [Fact]
    public void ATinyFileWithoutItsConfig()
    {
        using var temp = new TempFolder();
        BadInputTests.AssertRejected(temp, "--config", "forward", "--model", SaiFile("sd3-tiny"),
            "--inputs", Path.Combine(Folder("sd3-tiny"), "case_a.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void AConfigThatContradictsTheFile()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("config.json"), File.ReadAllText(Config("sd3-tiny")).Replace("\"num_layers\": 3", "\"num_layers\": 5"));
        BadInputTests.AssertRejected(temp, "'num_layers' is 5", "forward", "--model", SaiFile("sd3-tiny"), "--config", temp.File("config.json"),
            "--inputs", Path.Combine(Folder("sd3-tiny"), "case_a.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void AConfigForAFolder()
    {
        using var temp = new TempFolder();
        BadInputTests.AssertRejected(temp, "single files", "forward", "--model", Folder("sd3-tiny"), "--config", Config("sd3-tiny"),
            "--inputs", Path.Combine(Folder("sd3-tiny"), "case_a.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void AFileOfAnotherFamily()
    {
        using var temp = new TempFolder();
        BadInputTests.AssertRejected(temp, "no SD3 / SD3.5 component", "forward",
            "--model", Path.Combine(FixturePaths.Get("lumina-next", "lumina-next-tiny"), "diffusion_pytorch_model.safetensors"),
            "--inputs", Path.Combine(Folder("sd3-tiny"), "case_a.safetensors"), "--output", temp.File("out.st"));
    }

    [Fact]
    public void AVaeOnlyFile()
    {
        using var temp = new TempFolder();
        CheckpointRewriter.Rewrite(AllInOne, temp.File("vae.safetensors"), name => name.StartsWith("first_stage_model.", StringComparison.Ordinal) ? name : null);
        BadInputTests.AssertRejected(temp, "no SD3 / SD3.5 transformer", "generate", "--model", temp.File("vae.safetensors"),
            "--embeddings", FixturePaths.Get("ras", "embeddings.safetensors"), "--seed", "1", "--width", "64", "--height", "64", "--output", temp.File("out.safetensors"));
    }

    [Fact]
    public void AHalfConvertedFile()
    {
        using var temp = new TempFolder();
        CheckpointRewriter.Rewrite(SaiFile("sd3-tiny"), temp.File("half.safetensors"),
            name => name.Replace("model.diffusion_model.joint_blocks.1.x_block.attn.proj.", "model.diffusion_model.transformer_blocks.1.attn.to_out.0."));
        BadInputTests.AssertRejected(temp, "half-converted", "bench", "--model", temp.File("half.safetensors"), "--config", Config("sd3-tiny"));
    }

    [Fact]
    public void AMissingBlock()
    {
        using var temp = new TempFolder();
        CheckpointRewriter.Rewrite(SaiFile("sd3-tiny"), temp.File("gap.safetensors"), name => name.Contains(".joint_blocks.1.") ? null : name);
        BadInputTests.AssertRejected(temp, "joint_blocks.1.* is missing while model.diffusion_model.joint_blocks.2.* exists", "forward",
            "--model", temp.File("gap.safetensors"), "--config", Config("sd3-tiny"),
            "--inputs", Path.Combine(Folder("sd3-tiny"), "case_a.safetensors"), "--output", temp.File("out.st"));
    }
}
