using System.Globalization;
using System.Text.Json;
using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>forward and generate pick Lumina-Next from config.json's _class_name.</summary>
public class LuminaCommandTests
{
    static string Tiny => FixturePaths.Get("lumina-next", "lumina-next-tiny");
    static string RasLumina(string file) => FixturePaths.Get("ras-lumina", file);

    [Theory]
    [InlineData("case_a")]
    [InlineData("case_b")]
    [InlineData("case_c")]
    [InlineData("case_d")]
    public void ForwardTakesRopeSettingsFromTheInputsMetadata(string caseName)
    {
        using var temp = new TempFolder();
        var inputs = Path.Combine(Tiny, caseName + ".safetensors");
        var (code, _, err) = CliHarness.Run("forward", "--model", Tiny, "--inputs", inputs, "--output", temp.File("out.safetensors"));
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(inputs);
        using var actual = SafetensorsFile.Open(temp.File("out.safetensors"));
        Closeness.AssertClose(expected.ReadFloat32("sample"), actual.ReadFloat32("sample"), FixtureBounds.Transformer, caseName);
    }

    [Fact]
    public void RopeFlagsOverrideTheMetadata()
    {
        using var temp = new TempFolder();
        var caseD = Path.Combine(Tiny, "case_d.safetensors");   // metadata: ntk 2.0
        var (code, _, err) = CliHarness.Run("forward", "--model", Tiny, "--inputs", caseD, "--output", temp.File("out.safetensors"), "--rope-ntk-factor", "1");
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(caseD);
        using var actual = SafetensorsFile.Open(temp.File("out.safetensors"));
        Assert.True(Closeness.RelativeL2(expected.ReadFloat32("sample"), actual.ReadFloat32("sample")) > 1e-4, "--rope-ntk-factor had no effect");
    }

    [Theory]
    [InlineData("ras_lumina_dyn")]
    [InlineData("ras_static_l2")]
    [InlineData("dense")]
    public void GenerateReproducesTheOfficialLuminaRun(string run)
    {
        using var temp = new TempFolder();
        var settings = JsonDocument.Parse(File.ReadAllText(RasLumina("config.json"))).RootElement.GetProperty("runs").GetProperty(run);
        var ras = settings.GetProperty("ras");
        string Number(JsonElement e) => e.GetDouble().ToString("R", CultureInfo.InvariantCulture);
        var (code, _, err) = CliHarness.Run(
            "generate", "--model", RasLumina("pipeline"), "--embeddings", RasLumina("embeddings.safetensors"),
            "--latents", RasLumina("latents.safetensors"), "--guidance", "4", "--output", temp.File("out.safetensors"),
            "--trace", temp.File("trace.safetensors"),
            "--steps", ras.GetProperty("num_inference_steps").GetInt32().ToString(CultureInfo.InvariantCulture),
            "--ras-ratio", Number(ras.GetProperty("sample_ratio")),
            "--ras-metric", ras.GetProperty("metric").GetString()!,
            "--ras-high-ratio", Number(ras.GetProperty("high_ratio")),
            "--ras-start", ras.GetProperty("scheduler_start_step").GetInt32().ToString(CultureInfo.InvariantCulture),
            "--ras-end", ras.GetProperty("scheduler_end_step").GetInt32().ToString(CultureInfo.InvariantCulture),
            "--ras-reset", ras.GetProperty("error_reset_steps").GetString()!,
            "--ras-skip-num-step", ras.GetProperty("skip_num_step").GetInt32().ToString(CultureInfo.InvariantCulture),
            "--ras-skip-num-step-length", ras.GetProperty("skip_num_step_length").GetInt32().ToString(CultureInfo.InvariantCulture),
            "--scaling-watershed", Number(settings.GetProperty("pipeline").GetProperty("scaling_watershed")));
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(RasLumina($"trace_{run}.safetensors"));
        using var output = SafetensorsFile.Open(temp.File("out.safetensors"));
        using var trace = SafetensorsFile.Open(temp.File("trace.safetensors"));
        Closeness.AssertClose(expected.ReadFloat32("final_latents"), output.ReadFloat32("latents"), FixtureBounds.Ras, "final latents");
        var active = expected.Tensors.Where(t => t.Name.StartsWith("active_patches_step")).Select(t => t.Name).ToArray();
        Assert.Equal(active, trace.Tensors.Where(t => t.Name.StartsWith("active_patches_step")).Select(t => t.Name));
        foreach (var name in active) Assert.Equal(expected.ReadInt64(name), trace.ReadInt64(name));
    }

    [Fact]
    public void LuminaEmbeddingsWithoutMaskAreRejected()
    {
        using var temp = new TempFolder();
        using (var source = SafetensorsFile.Open(RasLumina("embeddings.safetensors")))
            SafetensorsWriter.Write(temp.File("no-mask.st"), source.Tensors.Where(t => t.Name != "prompt_attention_mask")
                .Select(t => TensorToWrite.F32(t.Name, source.ReadFloat32(t.Name), t.Shape)));
        var (code, _, err) = CliHarness.Run("generate", "--model", RasLumina("pipeline"), "--embeddings", temp.File("no-mask.st"),
            "--latents", RasLumina("latents.safetensors"), "--output", temp.File("out.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("prompt_attention_mask", err);
        Assert.False(File.Exists(temp.File("out.safetensors")));
    }

    [Fact]
    public void AnUnsupportedModelClassIsAClearError()
    {
        using var temp = new TempFolder();
        var model = Directory.CreateDirectory(temp.File("model")).FullName;
        File.WriteAllText(Path.Combine(model, "config.json"), """{"_class_name": "FluxTransformer2DModel"}""");
        var (code, _, err) = CliHarness.Run("forward", "--model", model, "--inputs", Path.Combine(Tiny, "case_a.safetensors"), "--output", temp.File("out.st"));
        Assert.Equal(2, code);
        Assert.Contains("FluxTransformer2DModel", err);
    }
}
