using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

public class ShardedCheckpointTests
{
    const string IndexName = "diffusion_pytorch_model.safetensors.index.json";

    static void WriteTwoShards(TempFolder folder)
    {
        SafetensorsWriter.Write(folder.File("diffusion_pytorch_model-00001-of-00002.safetensors"),
            [TensorToWrite.F32("blocks.0.weight", [1f, 2f], 2), TensorToWrite.Convert("blocks.0.bias", DType.BF16, [0.5f], 1)]);
        SafetensorsWriter.Write(folder.File("diffusion_pytorch_model-00002-of-00002.safetensors"),
            [TensorToWrite.F32("blocks.1.weight", [3f, 4f, 5f], 3), TensorToWrite.I64("steps", [7, 8], 2)]);
    }

    static void WriteIndex(TempFolder folder, string weightMapEntries) =>
        File.WriteAllText(folder.File(IndexName), """{"metadata":{"total_size":33,"format":"pt"},"weight_map":{""" + weightMapEntries + "}}");

    const string FullWeightMap = """
        "blocks.0.weight":"diffusion_pytorch_model-00001-of-00002.safetensors",
        "blocks.0.bias":"diffusion_pytorch_model-00001-of-00002.safetensors",
        "blocks.1.weight":"diffusion_pytorch_model-00002-of-00002.safetensors",
        "steps":"diffusion_pytorch_model-00002-of-00002.safetensors"
        """;

    [Fact]
    public void RoundTripThroughCheckpointOpenerOnTheFolder()
    {
        using var folder = new TempFolder();
        WriteTwoShards(folder);
        WriteIndex(folder, FullWeightMap);

        using var checkpoint = CheckpointOpener.Open(folder.Path);
        var sharded = Assert.IsType<ShardedCheckpoint>(checkpoint);
        Assert.EndsWith(IndexName, checkpoint.Description);
        Assert.Equal(["blocks.0.bias", "blocks.0.weight", "blocks.1.weight", "steps"], checkpoint.Tensors.Select(t => t.Name));
        Assert.Equal([1f, 2f], checkpoint.ReadFloat32("blocks.0.weight"));
        Assert.Equal([0.5f], checkpoint.ReadFloat32("blocks.0.bias"));
        Assert.Equal([3f, 4f, 5f], checkpoint.ReadFloat32("blocks.1.weight"));
        Assert.Equal([7L, 8L], checkpoint.ReadInt64("steps"));
        Assert.Equal(DType.BF16, checkpoint.Info("blocks.0.bias").DType);
        Assert.Equal("33", checkpoint.Metadata["total_size"]);
        Assert.Equal("pt", checkpoint.Metadata["format"]);
        Assert.EndsWith("00002.safetensors", sharded.ShardOf("steps").Description);

        var error = Assert.Throws<SafetensorsException>(() => checkpoint.Info("absent"));
        Assert.Contains(IndexName, error.Message);
        Assert.Contains("'absent'", error.Message);
    }

    [Fact]
    public void IndexNamingAMissingShardFileIsRejected()
    {
        using var folder = new TempFolder();
        WriteTwoShards(folder);
        WriteIndex(folder, """ "blocks.0.weight":"diffusion_pytorch_model-00001-of-00002.safetensors", "x":"gone.safetensors" """);

        var error = Assert.Throws<SafetensorsException>(() => ShardedCheckpoint.Open(folder.File(IndexName)));
        Assert.Contains(IndexName, error.Message);
        Assert.Contains("'gone.safetensors'", error.Message);
    }

    [Fact]
    public void IndexMappingATensorAbsentFromItsShardIsRejected()
    {
        using var folder = new TempFolder();
        WriteTwoShards(folder);
        WriteIndex(folder, """ "blocks.1.weight":"diffusion_pytorch_model-00001-of-00002.safetensors" """);

        var error = Assert.Throws<SafetensorsException>(() => ShardedCheckpoint.Open(folder.File(IndexName)));
        Assert.Contains(IndexName, error.Message);
        Assert.Contains("'blocks.1.weight'", error.Message);
        Assert.Contains("'diffusion_pytorch_model-00001-of-00002.safetensors'", error.Message);
    }

    [Theory]
    [InlineData("""{"weight_map":[]}""", "'weight_map' must be an object")]
    [InlineData("""{"metadata":{}}""", "'weight_map' must be an object")]
    [InlineData("""{"weight_map":{"a":1}}""", "weight_map value for 'a'")]
    [InlineData("""{"weight_map":{"a":"s.safetensors","a":"s.safetensors"}}""", "duplicate key 'a'")]
    [InlineData("""{"weight_map":{}""", "invalid JSON")]
    public void MalformedIndexIsRejected(string index, string expected)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(IndexName), index);
        var error = Assert.Throws<SafetensorsException>(() => ShardedCheckpoint.Open(folder.File(IndexName)));
        Assert.Contains(IndexName, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
