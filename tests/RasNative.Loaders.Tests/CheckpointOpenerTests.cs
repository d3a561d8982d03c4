using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

public class CheckpointOpenerTests
{
    [Fact]
    public void OpensASingleFileDirectly()
    {
        var path = FixturePaths.Get("sd3", "sd3-tiny", "diffusion_pytorch_model.safetensors");
        using var source = CheckpointOpener.Open(path);
        Assert.IsType<SafetensorsFile>(source);
        Assert.Equal(95, source.Tensors.Count);
    }

    [Fact]
    public void FolderPrefersTheDiffusersFileName()
    {
        using var source = CheckpointOpener.Open(FixturePaths.Get("sd3", "sd35-tiny"));
        Assert.EndsWith("diffusion_pytorch_model.safetensors", source.Description);
        Assert.Equal(117, source.Tensors.Count);
    }

    [Fact]
    public void FolderWithExactlyOneOtherSafetensorsFile()
    {
        using var folder = new TempFolder();
        SafetensorsWriter.Write(folder.File("weights.safetensors"), [TensorToWrite.F32("a", [1f], 1)]);
        using var source = CheckpointOpener.Open(folder.Path);
        Assert.EndsWith("weights.safetensors", source.Description);
    }

    [Fact]
    public void FolderWithModelSafetensorsIndex()
    {
        using var folder = new TempFolder();
        SafetensorsWriter.Write(folder.File("model-1.safetensors"), [TensorToWrite.F32("a", [1f], 1)]);
        SafetensorsWriter.Write(folder.File("model-2.safetensors"), [TensorToWrite.F32("b", [2f], 1)]);
        File.WriteAllText(folder.File("model.safetensors.index.json"), """{"weight_map":{"a":"model-1.safetensors","b":"model-2.safetensors"}}""");
        using var source = CheckpointOpener.Open(folder.Path);
        Assert.Equal([2f], source.ReadFloat32("b"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void FolderWithoutAnUnambiguousCheckpointListsWhatWasLookedFor(int otherFiles)
    {
        using var folder = new TempFolder();
        for (var i = 0; i < otherFiles; i++) SafetensorsWriter.Write(folder.File($"w{i}.safetensors"), [TensorToWrite.F32("a", [1f], 1)]);
        var error = Assert.Throws<SafetensorsException>(() => CheckpointOpener.Open(folder.Path));
        Assert.Contains(folder.Path, error.Message);
        Assert.Contains("diffusion_pytorch_model.safetensors.index.json", error.Message);
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains($"found {otherFiles}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void MissingPathIsReported()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<SafetensorsException>(() => CheckpointOpener.Open(folder.File("nothing")));
        Assert.Contains("nothing", error.Message);
    }
}
