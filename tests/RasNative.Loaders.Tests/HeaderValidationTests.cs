using System.Text;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>Malformed files must fail on open with a one-line SafetensorsException naming the file (and tensor).</summary>
public class HeaderValidationTests
{
    const string FileName = "bad.safetensors";
    const string ValidHeader = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";

    static string RejectedMessage(byte[] content)
    {
        using var folder = new TempFolder();
        var path = folder.File(FileName);
        File.WriteAllBytes(path, content);
        var error = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(path));
        Assert.Contains(FileName, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Fact]
    public void TheValidBaseFileOpens()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File(FileName), HandWrittenFile.Build(ValidHeader, 8));
        using var file = SafetensorsFile.Open(folder.File(FileName));
        Assert.Equal([BitConverter.ToSingle([0, 1, 2, 3]), BitConverter.ToSingle([4, 5, 6, 7])], file.ReadFloat32("a"));
    }

    [Fact]
    public void FileShorterThanTheLengthPrefix() => Assert.Contains("too short", RejectedMessage([1, 0, 0, 0, 0]));

    [Fact]
    public void EmptyFile() => Assert.Contains("too short", RejectedMessage([]));

    [Fact]
    public void DataCutShort()
    {
        var valid = HandWrittenFile.Build(ValidHeader, 8);
        Assert.Contains("'a'", RejectedMessage(valid[..^3]));
    }

    [Fact]
    public void HeaderLengthPastEndOfFile() =>
        Assert.Contains("past the end", RejectedMessage(HandWrittenFile.WithHeaderLength(HandWrittenFile.Build(ValidHeader, 8), 1000)));

    [Fact]
    public void HeaderLengthAboveTheCap() =>
        Assert.Contains("limit", RejectedMessage(HandWrittenFile.WithHeaderLength(HandWrittenFile.Build(ValidHeader, 8), 100_000_001)));

    [Fact]
    public void HeaderLengthNearUInt64Max() =>
        Assert.Contains("limit", RejectedMessage(HandWrittenFile.WithHeaderLength(HandWrittenFile.Build(ValidHeader, 8), ulong.MaxValue - 4)));

    [Fact]
    public void InvalidUtf8()
    {
        var header = Encoding.UTF8.GetBytes(ValidHeader);
        header[2] = 0xFF;
        Assert.Contains("UTF-8", RejectedMessage(HandWrittenFile.Build(header, 8)));
    }

    [Fact]
    public void PaddedHeaderIsAccepted()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File(FileName), HandWrittenFile.Build(ValidHeader + "      ", 8));
        using var file = SafetensorsFile.Open(folder.File(FileName));
        Assert.Single(file.Tensors);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32",}""", 8, "not valid JSON")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} x""", 8, "not valid JSON")]
    [InlineData("""[1, 2]""", 0, "does not start with '{' (not a JSON object)")]
    [InlineData(""" {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "does not start with")]
    [InlineData("", 0, "does not start with")]
    [InlineData("""{"a":{"dtype":"F8","shape":[2],"data_offsets":[0,8]}}""", 8, "'a': unknown dtype \"F8\"")]
    [InlineData("""{"a":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}}""", 8, "'a': unknown dtype")]
    [InlineData("""{"a":{"dtype":"f8_e4m3","shape":[8],"data_offsets":[0,8]}}""", 8, "'a': unknown dtype")]
    [InlineData("""{"a":{"dtype":"F8_E4M3FN","shape":[8],"data_offsets":[0,8]}}""", 8, "'a': unknown dtype")]
    [InlineData("""{"a":{"dtype":"F8_E4M3","shape":[3],"data_offsets":[0,8]}}""", 8, "'a': shape [3] x F8_E4M3 needs 3 bytes")]
    [InlineData("""{"a":{"dtype":"F8_E5M2","shape":[2,2],"data_offsets":[0,8]}}""", 8, "'a': shape [2, 2] x F8_E5M2 needs 4 bytes")]
    [InlineData("""{"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}""", 8, "'a': unknown dtype")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "'a': shape [3] x F32 needs 12 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "'a': shape must be")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}""", 8, "'a': shape must be")]
    [InlineData("""{"a":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}""", 8, "'a': shape must be")]
    [InlineData("""{"a":{"dtype":"F32","shape":2,"data_offsets":[0,8]}}""", 8, "'a': shape must be")]
    [InlineData("""{"a":{"dtype":"U8","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}""", 8, "'a': shape [4294967296, 4294967296, 4294967296] overflows")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8, "'a' data [0, 16) extends past the data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,16]}}""", 8, "'a': data_offsets must be [begin, end]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", 8, "'a': data_offsets must be")]
    [InlineData("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", 8, "'a': data_offsets begin 8 > end 0")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "'b' data [4, 12) overlaps tensor 'a' data [0, 8)")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", 20, "no tensor covers data bytes [8, 12) before tensor 'b'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "no tensor covers data bytes [0, 4)")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "data section is 12 bytes but tensors cover only 8")]
    [InlineData("""{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "__metadata__ value for 'k' must be a string")]
    [InlineData("""{"__metadata__":["k"],"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "__metadata__ must be an object")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "duplicate key 'a'")]
    [InlineData("""{"__metadata__":{"k":"1","k":"2"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "duplicate key 'k'")]
    [InlineData("""{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "'a': duplicate key 'dtype'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2]}}""", 8, "'a': missing key 'data_offsets'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":0}}""", 8, "'a': unexpected key 'extra'")]
    [InlineData("""{"a":[1]}""", 8, "'a': entry must be an object")]
    [InlineData("""{"\ud800":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "not valid JSON")]
    [InlineData("""{"__metadata__":{"k":"\udc00"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "not valid JSON")]
    [InlineData("{\"a\\nb\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "'a\\u000ab'")]
    public void MalformedHeaderIsRejected(string header, int dataLength, string expected) =>
        Assert.Contains(expected, RejectedMessage(HandWrittenFile.Build(header, dataLength)));

    [Fact]
    public void ScalarsAndEmptyTensorsAreValid()
    {
        const string header = """{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"s":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"z":{"dtype":"U8","shape":[0],"data_offsets":[8,8]}}""";
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File(FileName), HandWrittenFile.Build(header, 8));
        using var file = SafetensorsFile.Open(folder.File(FileName));
        Assert.Empty(file.ReadFloat32("e"));
        Assert.Equal([0x0706050403020100L], file.ReadInt64("s"));
        Assert.Equal("[]", file.Info("s").ShapeText);
        Assert.Empty(file.ReadInt64("z"));
    }

    [Fact]
    public void MissingTensorIsNamedWithTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File(FileName);
        File.WriteAllBytes(path, HandWrittenFile.Build(ValidHeader, 8));
        using var file = SafetensorsFile.Open(path);
        Assert.False(file.Contains("missing.weight"));
        foreach (var read in new Action[] { () => file.Info("missing.weight"), () => file.ReadFloat32("missing.weight"), () => file.ReadInt64("missing.weight") })
        {
            var error = Assert.Throws<SafetensorsException>(read);
            Assert.Contains(FileName, error.Message);
            Assert.Contains("'missing.weight'", error.Message);
        }
    }

    [Fact]
    public void NonIntegralFloatsAreNotReadAsInt64()
    {
        using var folder = new TempFolder();
        var path = folder.File(FileName);
        SafetensorsWriter.Write(path, [TensorToWrite.F32("whole", [1, -2, 3e9f], 3), TensorToWrite.F32("frac", [1, 2.5f], 2)]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([1, -2, 3_000_000_000], file.ReadInt64("whole"));
        var error = Assert.Throws<SafetensorsException>(() => file.ReadInt64("frac"));
        Assert.Contains(FileName, error.Message);
        Assert.Contains("'frac'", error.Message);
        Assert.Contains("element 1 = 2.5", error.Message);
    }

    [Fact]
    public void MissingFileIsReportedAsSafetensorsException()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(folder.File("absent.safetensors")));
        Assert.Contains("absent.safetensors", error.Message);
    }
}
