using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>Every numeric flag must be finite and in range; every message names the flag in one line, without .NET's type names.</summary>
public class FlagValidationTests
{
    static string Ras(string file) => FixturePaths.Get("ras", file);

    [Theory]
    [InlineData("--guidance", "NaN")]
    [InlineData("--guidance", "Infinity")]
    [InlineData("--guidance", "1e39")]
    [InlineData("--guidance", "-1")]
    [InlineData("--shift", "0")]
    [InlineData("--shift", "-1")]
    [InlineData("--shift", "NaN")]
    [InlineData("--ras-starvation-scale", "NaN")]
    [InlineData("--ras-ratio", "0")]
    [InlineData("--ras-ratio", "1.5")]
    [InlineData("--ras-high-ratio", "2")]
    [InlineData("--ras-end", "13")]
    [InlineData("--ras-start", "12")]
    [InlineData("--steps", "0")]
    [InlineData("--steps", "1000000000")]
    [InlineData("--steps", "99999999999999")]
    [InlineData("--seed", "abc")]
    [InlineData("--seed", "-3")]
    [InlineData("--width", "0")]
    [InlineData("--scaling-watershed", "2")]
    public void GenerateRefusesTheValue(string flag, string value)
    {
        using var temp = new TempFolder();
        string[] args =
        [
            "generate", "--model", Ras("model"), "--embeddings", Ras("embeddings.safetensors"), "--guidance", "5", "--steps", "12",
            "--latents", Ras("latents.safetensors"), "--ras-ratio", "0.5", "--output", temp.File("out.safetensors"),
        ];
        var given = args.ToList();
        int at = given.IndexOf(flag);
        if (at >= 0) given[at + 1] = value;
        else given.AddRange([flag, value]);
        if (flag is "--seed" or "--width")
        {
            int latents = given.IndexOf("--latents");
            given.RemoveRange(latents, 2);
            if (flag == "--width") given.AddRange(["--seed", "1", "--height", "64"]);
            else given.AddRange(["--width", "64", "--height", "64"]);
        }
        CliAssert.OneError(CliHarness.Run([.. given]), flag);
        CliAssert.NothingWritten(temp.Path);
    }

    [Fact]
    public void AChoiceFlagListsItsChoicesOnOneLine()
    {
        var line = CliAssert.OneError(CliHarness.Run("generate", "--model", "m", "--embeddings", "e", "--output", "o", "--backend", "gpu"), "--backend");
        Assert.Contains("cpu, cuda", line);
    }

    [Fact]
    public void KernelsRefusesAnUnknownArchitectureWithOneLine()
    {
        CliAssert.OneError(CliHarness.Run("kernels", "--arch", "banana"), "--arch");
    }

    [Fact]
    public void BenchRefusesAZeroRepeat()
    {
        CliAssert.OneError(CliHarness.Run("bench", "--model", "random:sd3-bench", "--repeat", "0"), "--repeat");
    }

    [Fact]
    public void NonFiniteEmbeddingsAreNamed()
    {
        using var temp = new TempFolder();
        var embeddings = temp.File("embeddings.safetensors");
        using (var source = Loaders.SafetensorsFile.Open(Ras("embeddings.safetensors")))
            Loaders.SafetensorsWriter.Write(embeddings, source.Tensors.Select(t =>
            {
                var values = source.ReadFloat32(t.Name);
                if (t.Name == "pooled_prompt_embeds") values[3] = float.PositiveInfinity;
                return Loaders.TensorToWrite.F32(t.Name, values, t.Shape);
            }));
        CliAssert.OneError(CliHarness.Run("generate", "--model", Ras("model"), "--embeddings", embeddings, "--latents", Ras("latents.safetensors"),
            "--guidance", "5", "--steps", "2", "--output", temp.File("out.safetensors")), "'pooled_prompt_embeds' holds a non-finite value");
        CliAssert.NothingWritten(temp.Path, "embeddings.safetensors");
    }

    [Fact]
    public void NonFiniteLatentsAreNamed()
    {
        using var temp = new TempFolder();
        var latents = temp.File("latents.safetensors");
        using (var source = Loaders.SafetensorsFile.Open(Ras("latents.safetensors")))
        {
            var values = source.ReadFloat32("latents");
            values[^1] = float.NaN;
            Loaders.SafetensorsWriter.Write(latents, [Loaders.TensorToWrite.F32("latents", values, source.Info("latents").Shape)]);
        }
        CliAssert.OneError(CliHarness.Run("generate", "--model", Ras("model"), "--embeddings", Ras("embeddings.safetensors"), "--latents", latents,
            "--guidance", "5", "--steps", "2", "--output", temp.File("out.safetensors")), "'latents' holds a non-finite value");
    }

    [Theory]
    [InlineData("patch_size", "0")]
    [InlineData("num_layers", "-1")]
    [InlineData("num_layers", "100000")]
    [InlineData("pos_embed_max_size", "2000000000")]
    [InlineData("qk_norm", "\"layer_norm\"")]
    public void ImpossibleConfigValuesNameTheKey(string key, string value)
    {
        using var temp = new TempFolder();
        var model = Directory.CreateDirectory(temp.File("model")).FullName;
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Ras("model/config.json")))!.AsObject();
        config[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
        File.WriteAllText(Path.Combine(model, "config.json"), config.ToJsonString());
        File.CreateSymbolicLink(Path.Combine(model, "diffusion_pytorch_model.safetensors"), Ras("model/diffusion_pytorch_model.safetensors"));
        CliAssert.OneError(CliHarness.Run("generate", "--model", model, "--embeddings", Ras("embeddings.safetensors"), "--latents", Ras("latents.safetensors"),
            "--guidance", "5", "--steps", "2", "--output", temp.File("out.safetensors")), $"'{key}'");
    }

    [Theory]
    [InlineData("4096", "needs about")]             // 65k patches: ~0.1 GB of activations, over a 64 MB budget
    [InlineData("65536", "would exceed 2147483647")] // 16.8M patches: a single buffer past int arithmetic
    public void AnImageThatCannotFitIsRefusedWithTheEstimate(string pixels, string mentions)
    {
        using var temp = new TempFolder();
        // A fixed budget keeps the verdict the same on every machine; the over-int case needs none.
        Environment.SetEnvironmentVariable("RASNATIVE_HOST_MEMORY", mentions == "needs about" ? "64M" : "1T");
        try
        {
            var line = CliAssert.OneError(CliHarness.Run("generate", "--model", FixturePaths.Get("ras-lumina", "pipeline"),
                "--embeddings", FixturePaths.Get("ras-lumina", "embeddings.safetensors"), "--seed", "1", "--width", pixels, "--height", pixels,
                "--steps", "2", "--output", temp.File("out.safetensors")), mentions);
            if (mentions == "needs about")
                Assert.Matches(@"needs about [0-9.]+ MB \(weights .* \+ activations [0-9.]+ MB\), but only 64.0 MB of host memory is available", line);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RASNATIVE_HOST_MEMORY", null);
        }
        CliAssert.NothingWritten(temp.Path);
    }
}
