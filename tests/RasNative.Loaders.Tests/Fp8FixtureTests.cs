using System.Globalization;
using System.Text.Json;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>The fp8 single file of fixtures/sd3-single-file against its check file (decode table, per-tensor stats, one tensor's values).</summary>
public class Fp8FixtureTests
{
    const string Fp8File = "sd3-pipeline-tiny_incl_clips_t5xxlfp8.safetensors", Fp32File = "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors";
    const string T5Prefix = "text_encoders.t5xxl.transformer.";

    static string Fixture(string name) => FixturePaths.Get("sd3-single-file", name);

    static JsonElement Check { get; } = JsonDocument.Parse(File.ReadAllBytes(Fixture("sd3-pipeline-tiny_t5xxlfp8_check.json"))).RootElement;

    static float Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? float.Parse(value.GetString()!, CultureInfo.InvariantCulture) // "nan"
        : value.GetSingle();

    [Fact]
    public void DecodeTableEqualsTheFixtures()
    {
        var table = Check.GetProperty("decode_table").EnumerateArray().Select(Number).ToArray();
        Assert.Equal(256, table.Length);
        for (int code = 0; code < 256; code++)
        {
            float actual = Float8Conversions.E4M3ToSingle((byte)code);
            if (float.IsNaN(table[code])) Assert.True(float.IsNaN(actual), $"0x{code:x2}");
            else Assert.Equal(BitConverter.SingleToUInt32Bits(table[code]), BitConverter.SingleToUInt32Bits(actual));
        }
    }

    [Fact]
    public void ExampleTensorDequantizesToTheExpectedValues()
    {
        var example = Check.GetProperty("example");
        string name = example.GetProperty("name").GetString()!;
        var codes = Convert.FromHexString(example.GetProperty("codes_hex").GetString()!);
        var expected = example.GetProperty("dequantized_f32").EnumerateArray().Select(Number).ToArray();
        var sourceBits = example.GetProperty("source_f32_bits_hex").GetString()!.Split(' ')
            .Select(h => BitConverter.UInt32BitsToSingle(uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray();

        using var file = CheckpointOpener.Open(Fixture(Fp8File));
        var stored = file.ReadStored(name);
        Assert.Equal(DType.F8_E4M3, stored.Format);
        Assert.Equal([32L, 96], stored.Shape);
        Assert.Equal(1f, stored.Scale);
        Assert.Equal(codes, stored.Bytes.ToArray());
        var values = file.ReadFloat32(name);
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), values.Select(BitConverter.SingleToUInt32Bits)); // −0.0 included
        Assert.Equal(1.578125, values.Sum(v => (double)v));
        Assert.Equal(21, values.Count(v => v == 0));
        // The encoder reproduces the file's codes from the source float32 values (PyTorch's cast).
        Assert.Equal(codes, sourceBits.Select(Float8Conversions.SingleToE4M3).ToArray());
    }

    [Fact]
    public void EveryFp8TensorHasTheCheckedCodeStatistics()
    {
        using var file = SafetensorsFile.Open(Fixture(Fp8File));
        var tensors = Check.GetProperty("fp8_tensors");
        Assert.Equal(22, tensors.EnumerateObject().Count());
        Assert.Equal(tensors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            file.Tensors.Where(t => t.DType == DType.F8_E4M3).Select(t => t.Name));
        foreach (var entry in tensors.EnumerateObject())
        {
            var codes = file.ReadStored(entry.Name).Bytes.ToArray();
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), file.Info(entry.Name).Shape);
            Assert.Equal(entry.Value.GetProperty("codes_zero").GetInt32(), codes.Count(c => c == 0x00));
            Assert.Equal(entry.Value.GetProperty("codes_neg_zero").GetInt32(), codes.Count(c => c == 0x80));
            Assert.Equal(entry.Value.GetProperty("codes_subnormal_nonzero").GetInt32(), codes.Count(c => (c & 0x78) == 0 && (c & 7) != 0));
            var values = file.ReadFloat32(entry.Name);
            Assert.All(values, v => Assert.True(float.IsFinite(v)));
            double maxAbs = values.Max(v => Math.Abs((double)v)), sourceMaxAbs = entry.Value.GetProperty("max_abs_f32").GetDouble();
            Assert.True(Math.Abs(maxAbs - sourceMaxAbs) <= entry.Value.GetProperty("max_abs_error").GetDouble(), $"{entry.Name}: max |value| {maxAbs}, source {sourceMaxAbs}");
        }
    }

    [Fact]
    public void EveryOtherTensorIsTheFp32FilesOwn()
    {
        using var fp8 = CheckpointOpener.Open(Fixture(Fp8File));
        using var fp32 = CheckpointOpener.Open(Fixture(Fp32File));
        Assert.Equal(fp32.Tensors.Select(t => t.Name), fp8.Tensors.Select(t => t.Name));
        Assert.Equal("F8_E4M3", fp8.Metadata["t5xxl_dtype"]);
        foreach (var tensor in fp8.Tensors.Where(t => !t.Name.StartsWith(T5Prefix, StringComparison.Ordinal)))
        {
            Assert.Equal(fp32.Info(tensor.Name).DType, tensor.DType);
            Assert.True(fp32.ReadStored(tensor.Name).Bytes.SequenceEqual(fp8.ReadStored(tensor.Name).Bytes), tensor.Name);
        }
    }
}
