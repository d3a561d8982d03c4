using RasNative.Loaders;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>A diffusers pipeline folder whose transformer is sharded (index.json + two shards) runs like the single file.</summary>
public class ShardedPipelineTests
{
    [Fact]
    public void ForwardOnAShardedPipelineFolderMatchesTheSingleFile()
    {
        using var temp = new TempFolder();
        string model = FixturePaths.Get("sd3", "sd35-tiny");
        var transformer = Directory.CreateDirectory(Path.Combine(temp.Path, "pipeline", "transformer")).FullName;
        File.Copy(Path.Combine(model, "config.json"), Path.Combine(transformer, "config.json"));
        File.WriteAllText(Path.Combine(temp.Path, "pipeline", "model_index.json"),
            """{"_class_name": "StableDiffusion3Pipeline", "transformer": ["diffusers", "SD3Transformer2DModel"]}""");
        using (var source = SafetensorsFile.Open(Path.Combine(model, "diffusion_pytorch_model.safetensors")))
        {
            var weightMap = new Dictionary<string, string>();
            var shards = source.Tensors.Select((t, i) => (t, shard: $"diffusion_pytorch_model-0000{i % 2 + 1}-of-00002.safetensors")).GroupBy(x => x.shard);
            foreach (var shard in shards)
            {
                SafetensorsWriter.Write(Path.Combine(transformer, shard.Key),
                    shard.Select(x => TensorToWrite.F32(x.t.Name, source.ReadFloat32(x.t.Name), x.t.Shape)));
                foreach (var (t, _) in shard) weightMap[t.Name] = shard.Key;
            }
            File.WriteAllText(Path.Combine(transformer, "diffusion_pytorch_model.safetensors.index.json"),
                System.Text.Json.JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));
        }
        string inputs = Path.Combine(model, "case_b.safetensors");
        var (code, _, err) = CliHarness.Run("forward", "--model", Path.Combine(temp.Path, "pipeline"), "--inputs", inputs, "--output", temp.File("out.safetensors"));
        Assert.True(code == 0, err);
        using var expected = SafetensorsFile.Open(inputs);
        using var actual = SafetensorsFile.Open(temp.File("out.safetensors"));
        Closeness.AssertClose(expected.ReadFloat32("sample"), actual.ReadFloat32("sample"), FixtureBounds.Transformer, "sharded sd35-tiny case_b");
    }
}
