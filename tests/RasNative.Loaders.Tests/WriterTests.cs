using System.Buffers.Binary;
using System.Text;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

public class WriterTests
{
    static readonly float[] Values = [0f, 1f, -2.5f, 1.00048828125f, 3.14159274f, -1e-3f];

    [Fact]
    public void RoundTripsEveryWriterDtypeAndMetadata()
    {
        using var folder = new TempFolder();
        var path = folder.File("round.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" };
        SafetensorsWriter.Write(path,
        [
            TensorToWrite.F32("z.f32", Values, 2, 3),
            TensorToWrite.Convert("b.bf16", DType.BF16, Values, 3, 2),
            TensorToWrite.Convert("h.f16", DType.F16, Values, 6),
            TensorToWrite.Convert("d.f64", DType.F64, Values, 6, 1),
            TensorToWrite.I64("i.i64", [long.MinValue, -1, 0, long.MaxValue], 4),
            TensorToWrite.F32("scalar", [7f]),
        ], metadata);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["b.bf16", "d.f64", "h.f16", "i.i64", "scalar", "z.f32"], file.Tensors.Select(t => t.Name));
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(Values, file.ReadFloat32("z.f32"));
        Assert.Equal(Values, file.ReadFloat32("d.f64"));
        Assert.Equal(Values.Select(v => FloatConversions.BFloat16ToSingle(FloatConversions.SingleToBFloat16(v))), file.ReadFloat32("b.bf16"));
        Assert.Equal(Values.Select(v => (float)(Half)v), file.ReadFloat32("h.f16"));
        Assert.Equal([long.MinValue, -1, 0, long.MaxValue], file.ReadInt64("i.i64"));
        Assert.Equal([7f], file.ReadFloat32("scalar"));
        Assert.Equal("[2, 3]", file.Info("z.f32").ShapeText);
        Assert.Equal(DType.BF16, file.Info("b.bf16").DType);
    }

    [Fact]
    public void HeaderIsSpacePaddedToAMultipleOfEightAndDataFollowsInNameOrder()
    {
        using var folder = new TempFolder();
        var path = folder.File("layout.safetensors");
        SafetensorsWriter.Write(path, [TensorToWrite.F32("b", [2f], 1), TensorToWrite.F32("a", [1f], 1)]);

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.StartsWith("{", header);
        Assert.EndsWith("}", header.TrimEnd(' '));
        Assert.InRange(header.Length - header.TrimEnd(' ').Length, 0, 7);
        Assert.Equal([1f, 2f], [BitConverter.ToSingle(bytes, 8 + headerLength), BitConverter.ToSingle(bytes, 12 + headerLength)]);
    }

    [Fact]
    public void WritingIntoAMissingFolderFailsAndLeavesNothing()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "no-such-folder");
        Assert.ThrowsAny<IOException>(() => SafetensorsWriter.Write(Path.Combine(missing, "x.safetensors"), [TensorToWrite.F32("a", [1f], 1)]));
        Assert.False(Directory.Exists(missing));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void InvalidTensorLeavesTheExistingFileUntouched()
    {
        using var folder = new TempFolder();
        var path = folder.File("keep.safetensors");
        SafetensorsWriter.Write(path, [TensorToWrite.F32("a", [1f], 1)]);
        var before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [TensorToWrite.F32("a", [1f, 2f], 3)]));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [TensorToWrite.F32("a", [1f], 1), TensorToWrite.F32("a", [1f], 1)]));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [TensorToWrite.F32("__metadata__", [1f], 1)]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["keep.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FailingTensorSequenceLeavesTheExistingFileUntouched()
    {
        using var folder = new TempFolder();
        var path = folder.File("existing.safetensors");
        SafetensorsWriter.Write(path, [TensorToWrite.F32("old", [1f], 1)]);
        var before = File.ReadAllBytes(path);

        Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(path, TensorsThatFailMidway()));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    static IEnumerable<TensorToWrite> TensorsThatFailMidway()
    {
        yield return TensorToWrite.F32("a", [1f], 1);
        throw new InvalidOperationException("source failed");
    }

    [Fact]
    public void ExistingFileIsReplacedWhole()
    {
        using var folder = new TempFolder();
        var path = folder.File("replace.safetensors");
        SafetensorsWriter.Write(path, [TensorToWrite.F32("big", new float[1000], 1000)]);
        SafetensorsWriter.Write(path, [TensorToWrite.F32("small", [5f], 1)]);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["small"], file.Tensors.Select(t => t.Name));
        Assert.Equal([5f], file.ReadFloat32("small"));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void ConvertRejectsIntegerTargets() =>
        Assert.Throws<ArgumentException>(() => TensorToWrite.Convert("x", DType.I32, [1f], 1));
}
