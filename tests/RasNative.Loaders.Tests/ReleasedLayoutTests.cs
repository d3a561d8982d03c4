using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RasNative.Loaders.ModelSources;
using RasNative.Loaders.SingleFile;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>
/// The released SD3-medium and SD3.5-medium transformers (specs/sd3-checkpoint-keys.md: every diffusers key and
/// shape, and the published config) in Stability's layout, header only: the config inferred from the shapes is
/// the published one, with no --config.
/// </summary>
public partial class ReleasedLayoutTests
{
    [GeneratedRegex(@"^## (.+)$")]
    private static partial Regex Section();

    [GeneratedRegex(@"^config: `(.+)`$")]
    private static partial Regex ConfigLine();

    [GeneratedRegex(@"^([\w.]+)\t\[([\d, ]+)\]$")]
    private static partial Regex KeyLine();

    [Theory]
    [InlineData("stable-diffusion-3-medium-diffusers (SD3 medium)", 683)]
    [InlineData("stable-diffusion-3.5-medium (SD3.5 medium)", 909)]
    public void InferredConfigIsThePublishedOne(string model, int tensors)
    {
        var (published, shapes) = ReadSpec(model);
        Assert.Equal(tensors, shapes.Count);
        var layout = SingleFileLayout.FromHeader("released.safetensors", SaiHeader(shapes));
        var inferred = layout.Get(PipelineComponent.Transformer, null).Config;
        var expected = Sd3TransformerConfig.FromJson(published).ToJsonObject();
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(inferred.GetRawText())), $"{model}: inferred {inferred.GetRawText()}");
        Assert.Equal(CheckpointDialect.SaiSingleFile, layout.Dialect);
    }

    /// <summary>The spec section's config (a Python dict) as JSON and its keys with shapes.</summary>
    static (JsonElement Config, List<(string Name, long[] Shape)> Shapes) ReadSpec(string model)
    {
        var lines = File.ReadAllLines(Path.Combine(FixturePaths.Root, "..", "specs", "sd3-checkpoint-keys.md"));
        int start = Array.FindIndex(lines, l => Section().Match(l) is { Success: true } m && m.Groups[1].Value == model);
        Assert.True(start >= 0, model);
        int end = Array.FindIndex(lines, start + 1, l => Section().IsMatch(l));
        var section = lines[start..(end < 0 ? lines.Length : end)];
        var python = section.Select(l => ConfigLine().Match(l)).First(m => m.Success).Groups[1].Value;
        var json = python.Replace('\'', '"').Replace('(', '[').Replace(')', ']').Replace("None", "null");
        var shapes = section.Select(l => KeyLine().Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Split(", ").Select(long.Parse).ToArray())).ToList();
        return (JsonDocument.Parse(json).RootElement.Clone(), shapes);
    }

    /// <summary>F16 header entries under Stability's names (q/k/v rows stacked into qkv), laid out back to back.</summary>
    static List<TensorInfo> SaiHeader(List<(string Name, long[] Shape)> diffusers)
    {
        int last = diffusers.Select(t => t.Name).Where(n => n.StartsWith("transformer_blocks.", StringComparison.Ordinal))
            .Max(n => int.Parse(n.Split('.')[1]));
        var merged = diffusers
            .GroupBy(t => "model.diffusion_model." + SaiLayoutWriter.SaiName(t.Name, last).Name)
            .Select(g => (Name: g.Key, Shape: (long[])[g.Sum(t => t.Shape[0]), .. g.First().Shape[1..]]))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        long offset = 0;
        var header = new List<TensorInfo>();
        foreach (var (name, shape) in merged)
        {
            long bytes = shape.Aggregate(2L, (a, d) => a * d);
            header.Add(new TensorInfo(name, DType.F16, shape, offset, offset + bytes));
            offset += bytes;
        }
        return header;
    }
}
