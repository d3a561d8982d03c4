using System.Runtime.InteropServices;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

public class FixtureReadingTests
{
    static string Sd3(params string[] parts) => FixturePaths.Get(["sd3", .. parts]);

    [Fact]
    public void EveryFileUnderSd3OpensAndEveryTensorReads()
    {
        var files = Directory.GetFiles(FixturePaths.Get("sd3"), "*.safetensors", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var path in files)
        {
            using var file = SafetensorsFile.Open(path);
            Assert.NotEmpty(file.Tensors);
            Assert.Equal(file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name));
            foreach (var tensor in file.Tensors)
            {
                var values = file.ReadFloat32(tensor.Name);
                Assert.Equal(tensor.ElementCount, values.Length);
                Assert.All(values, v => Assert.True(float.IsFinite(v), $"{path}: {tensor.Name}"));
            }
        }
    }

    [Theory]
    [InlineData("sd3-tiny", 95, DType.F32)]
    [InlineData("sd35-tiny", 117, DType.F32)]
    [InlineData("sd3-tiny-bf16", 95, DType.BF16)]
    [InlineData("sd3-tiny-fp16", 95, DType.F16)]
    public void WeightFilesHaveTheDocumentedTensorCountAndDtype(string model, int count, DType dtype)
    {
        using var weights = SafetensorsFile.Open(Sd3(model, "diffusion_pytorch_model.safetensors"));
        Assert.Equal(count, weights.Tensors.Count);
        Assert.All(weights.Tensors, t => Assert.Equal(dtype, t.DType));
        Assert.Equal("[1, 1024, 32]", weights.Info("pos_embed.pos_embed").ShapeText);
    }

    [Theory]
    [InlineData("sd3-tiny-bf16", DType.BF16)]
    [InlineData("sd3-tiny-fp16", DType.F16)]
    public void RoundedWeightsEqualTheFloat32WeightsRoundedToNearestEven(string model, DType dtype)
    {
        Func<float, ushort> round = dtype == DType.BF16 ? FloatConversions.SingleToBFloat16 : FloatConversions.SingleToHalf;
        Func<ushort, float> widen = dtype == DType.BF16 ? FloatConversions.BFloat16ToSingle : FloatConversions.HalfToSingle;
        using var full = SafetensorsFile.Open(Sd3("sd3-tiny", "diffusion_pytorch_model.safetensors"));
        using var rounded = SafetensorsFile.Open(Sd3(model, "diffusion_pytorch_model.safetensors"));

        foreach (var tensor in full.Tensors)
        {
            var expectedBits = full.ReadFloat32(tensor.Name).Select(round).ToArray();
            var storedBits = MemoryMarshal.Cast<byte, ushort>(rounded.RawBytes(rounded.Info(tensor.Name))).ToArray();
            Assert.Equal(expectedBits, storedBits);
            Assert.Equal(expectedBits.Select(widen).ToArray(), rounded.ReadFloat32(tensor.Name));
        }
    }

    [Fact]
    public void Int64TensorReadsExactly()
    {
        using var trace = SafetensorsFile.Open(FixturePaths.Get("ras", "trace_ras_std_r025.safetensors"));
        var tensor = trace.Info("active_patches_step03");
        Assert.Equal(DType.I64, tensor.DType);
        var values = trace.ReadInt64(tensor.Name);
        Assert.Equal(37, values.Length);
        Assert.Equal([71, 9, 73, 41, 24], values[..5]);
        Assert.Equal(67, values[^1]);
        Assert.Equal(values.Select(v => (float)v), trace.ReadFloat32(tensor.Name));
    }

    [Fact]
    public void Float64TensorConvertsWithRoundToNearestEven()
    {
        using var caseA = SafetensorsFile.Open(Sd3("sd3-tiny", "case_a.safetensors"));
        var info = caseA.Info("sample_f64");
        Assert.Equal(DType.F64, info.DType);
        var doubles = MemoryMarshal.Cast<byte, double>(caseA.RawBytes(info)).ToArray();
        var asFloat = caseA.ReadFloat32("sample_f64");
        Assert.Equal(doubles.Select(d => (float)d), asFloat);

        var sample = caseA.ReadFloat32("sample");
        Assert.All(sample.Zip(doubles), pair => Assert.True(Math.Abs(pair.First - pair.Second) < 1e-6));
    }

    [Fact]
    public void MetadataIsRead()
    {
        using var caseA = SafetensorsFile.Open(Sd3("sd3-tiny", "case_a.safetensors"));
        Assert.Equal("sd3-tiny", caseA.Metadata["model"]);
        Assert.Equal("0.40.0.dev0", caseA.Metadata["diffusers_version"]);
    }

    [Fact]
    public void ReadIntoSpanChecksTheLength()
    {
        using var caseA = SafetensorsFile.Open(Sd3("sd3-tiny", "case_a.safetensors"));
        var error = Assert.Throws<ArgumentException>(() => caseA.ReadFloat32("timestep", new float[2]));
        Assert.Contains("timestep", error.Message);
        var one = new float[1];
        caseA.ReadFloat32("timestep", one);
        Assert.Equal(999f, one[0]);
    }

    [Fact]
    public void RawBytesAreUnavailableAfterDispose()
    {
        var caseA = SafetensorsFile.Open(Sd3("sd3-tiny", "case_a.safetensors"));
        var info = caseA.Info("timestep");
        caseA.Dispose();
        Assert.Throws<ObjectDisposedException>(() => caseA.RawBytes(info).Length);
    }
}
