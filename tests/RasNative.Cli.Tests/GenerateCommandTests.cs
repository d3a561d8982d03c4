using System.Text.Json;
using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

public class GenerateCommandTests
{
    static string Ras(string file) => FixturePaths.Get("ras", file);

    static string[] Generate(TempFolder temp, params string[] extra) =>
    [
        "generate", "--model", Ras("model"), "--embeddings", Ras("embeddings.safetensors"),
        "--guidance", "5", "--output", temp.File("out.safetensors"), .. extra,
    ];

    /// <summary>The official run's settings as generate flags (from the fixture's config.json).</summary>
    static string[] RunFlags(string run)
    {
        var settings = JsonDocument.Parse(File.ReadAllText(Ras("config.json"))).RootElement.GetProperty("runs").GetProperty(run);
        return
        [
            "--steps", "12",
            "--ras-ratio", settings.GetProperty("sample_ratio").GetDouble().ToString("R"),
            "--ras-start", settings.GetProperty("scheduler_start_step").GetInt32().ToString(),
            "--ras-end", settings.GetProperty("scheduler_end_step").GetInt32().ToString(),
            "--ras-reset", settings.GetProperty("error_reset_steps").GetString()!,
            "--ras-metric", settings.GetProperty("metric").GetString()!,
            "--ras-high-ratio", settings.GetProperty("high_ratio").GetDouble().ToString("R"),
            "--ras-skip-num-step", settings.GetProperty("skip_num_step").GetInt32().ToString(),
            "--ras-skip-num-step-length", settings.GetProperty("skip_num_step_length").GetInt32().ToString(),
        ];
    }

    [Theory]
    [InlineData("ras_std_r025")]
    [InlineData("ras_l2_dyn")]
    public void GenerateReproducesTheOfficialRun(string run)
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run([.. Generate(temp, "--latents", Ras("latents.safetensors"), "--trace", temp.File("trace.safetensors"),
            "--ras-heatmap", temp.File("heat.png")), .. RunFlags(run)]);
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(Ras($"trace_{run}.safetensors"));
        using var output = SafetensorsFile.Open(temp.File("out.safetensors"));
        using var trace = SafetensorsFile.Open(temp.File("trace.safetensors"));
        Closeness.AssertClose(expected.ReadFloat32("final_latents"), output.ReadFloat32("latents"), 1e-4, 1e-4, "latents");
        var expectedActive = expected.Tensors.Where(t => t.Name.StartsWith("active_patches_step")).Select(t => t.Name).ToArray();
        Assert.NotEmpty(expectedActive);
        Assert.Equal(expectedActive, trace.Tensors.Where(t => t.Name.StartsWith("active_patches_step")).Select(t => t.Name));
        foreach (var name in expectedActive) Assert.Equal(expected.ReadInt64(name), trace.ReadInt64(name));
        Assert.Equal(output.ReadFloat32("latents"), trace.ReadFloat32("final_latents"));
        Assert.True(trace.Contains("latents_step11_out"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(temp.File("heat.png"))[..4]);
    }

    [Fact]
    public void SeedDrawsTheSameNoiseAsTorchRandn()
    {
        // rng case randn_3 is torch.randn([2,4,16,16]) with seed 123456789: its first 1024 values are the
        // [1,4,16,16] draw (the vectorised fill works in blocks of 16).
        using var temp = new TempFolder();
        using (var rng = SafetensorsFile.Open(FixturePaths.Get("rng", "torch_cpu_generator.safetensors")))
            SafetensorsWriter.Write(temp.File("noise.safetensors"), [TensorToWrite.F32("latents", rng.ReadFloat32("randn_3")[..1024], 1, 4, 16, 16)]);
        var common = new[] { "--steps", "2", "--ras-ratio", "1" };
        var (code, _, err) = CliHarness.Run([.. Generate(temp, "--seed", "123456789", "--width", "128", "--height", "128"), .. common]);
        Assert.True(code == 0, err);
        File.Move(temp.File("out.safetensors"), temp.File("seeded.safetensors"));
        (code, _, err) = CliHarness.Run([.. Generate(temp, "--latents", temp.File("noise.safetensors")), .. common]);
        Assert.True(code == 0, err);
        using var seeded = SafetensorsFile.Open(temp.File("seeded.safetensors"));
        using var given = SafetensorsFile.Open(temp.File("out.safetensors"));
        Assert.Equal(given.ReadFloat32("latents"), seeded.ReadFloat32("latents"));
    }

    public static TheoryData<string[], string> BadFlags() => new()
    {
        { ["--latents", Ras("latents.safetensors"), "--ras-ratio", "0"], "--ras-ratio" },
        { ["--latents", Ras("latents.safetensors"), "--ras-ratio", "1.5"], "--ras-ratio" },
        { ["--latents", Ras("latents.safetensors"), "--steps", "12", "--ras-reset", "12"], "--ras-reset" },
        { ["--latents", Ras("latents.safetensors"), "--ras-reset", "x"], "--ras-reset" },
        { ["--seed", "1", "--width", "100", "--height", "128"], "--width" },
        { ["--latents", Ras("latents.safetensors"), "--width", "128"], "--width" },
        { ["--latents", Ras("latents.safetensors"), "--num-images", "2"], "--num-images" },
        { ["--latents", Ras("latents.safetensors"), "--seed", "3", "--width", "128", "--height", "128"], "--latents" },
        { ["--latents", Ras("latents.safetensors"), "--ras-skip-num-step", "4096", "--ras-skip-num-step-length", "1"], "--ras-skip-num-step" },
        { ["--latents", Ras("latents.safetensors"), "--ras-metric", "max"], "--ras-metric" },
        { ["--latents", Ras("latents.safetensors"), "--backend", "cpu", "--dtype", "bf16"], "--dtype" },
    };

    [Theory]
    [MemberData(nameof(BadFlags))]
    public void BadFlagsAreRejectedWithoutOutput(string[] flags, string mentions)
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run([.. Generate(temp, "--trace", temp.File("out-trace.st")), .. flags]);
        Assert.Equal(2, code);
        Assert.Contains(mentions, err);
        Assert.StartsWith("error: ", err);
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void GuidanceWithoutNegativeEmbeddingsIsRejected()
    {
        using var temp = new TempFolder();
        using (var source = SafetensorsFile.Open(Ras("embeddings.safetensors")))
            SafetensorsWriter.Write(temp.File("prompt-only.st"), source.Tensors.Where(t => !t.Name.StartsWith("negative"))
                .Select(t => TensorToWrite.F32(t.Name, source.ReadFloat32(t.Name), t.Shape)));
        var (code, _, err) = CliHarness.Run("generate", "--model", Ras("model"), "--embeddings", temp.File("prompt-only.st"),
            "--latents", Ras("latents.safetensors"), "--guidance", "5", "--output", temp.File("out.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("negative_prompt_embeds", err);
        Assert.False(File.Exists(temp.File("out.safetensors")));
    }

    [Fact]
    public void EmbeddingsOfTheWrongWidthAreRejected()
    {
        using var temp = new TempFolder();
        var (code, _, err) = CliHarness.Run("generate", "--model", FixturePaths.Get("sd3", "sd3-tiny"), "--embeddings", Ras("embeddings.safetensors"),
            "--seed", "1", "--width", "128", "--height", "128", "--guidance", "5", "--output", temp.File("out.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("joint_attention_dim", err);
        Assert.False(File.Exists(temp.File("out.safetensors")));
    }
}
