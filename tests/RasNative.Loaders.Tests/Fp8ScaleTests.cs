using System.Text;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>Per-tensor fp8 scales (ComfyUI scaled_fp8 / weight_scale layouts) folded by <see cref="CheckpointOpener"/>; anything else is an error.</summary>
public class Fp8ScaleTests
{
    static readonly float[] Values = [0.5f, -1.25f, 0.01171875f, 3f, -0f, 448f];
    const float Scale = 0.0173f;

    static TensorToWrite Fp8(string name, DType format = DType.F8_E4M3) => TensorToWrite.Convert(name, format, Values, 2, 3);

    static TensorToWrite Scalar(string name, float value, params long[] shape) =>
        TensorToWrite.F32(name, Enumerable.Repeat(value, (int)shape.Aggregate(1L, (a, d) => a * d)).ToArray(), shape);

    static TensorToWrite Json(string name, string json) =>
        new(name, DType.U8, [Encoding.UTF8.GetByteCount(json)], Encoding.UTF8.GetBytes(json));

    static ITensorSource Open(TempFolder folder, params TensorToWrite[] tensors)
    {
        SafetensorsWriter.Write(folder.File("model.safetensors"), tensors);
        return CheckpointOpener.Open(folder.File("model.safetensors"));
    }

    static string Rejected(params TensorToWrite[] tensors)
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<SafetensorsException>(() => Open(folder, tensors).Dispose());
        Assert.Contains("model.safetensors", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Theory]
    [InlineData("scale_weight", DType.F8_E4M3)]
    [InlineData("weight_scale", DType.F8_E4M3)]
    [InlineData("weight_scale", DType.F8_E5M2)]
    public void ScaleIsFoldedIntoItsWeight(string scaleName, DType format)
    {
        using var folder = new TempFolder();
        using var source = Open(folder, Fp8("blocks.0.linear.weight", format), Scalar($"blocks.0.linear.{scaleName}", Scale),
            TensorToWrite.F32("blocks.0.linear.bias", [1f, 2f], 2), Fp8("plain.weight", format));
        Assert.Equal(["blocks.0.linear.bias", "blocks.0.linear.weight", "plain.weight"], source.Tensors.Select(t => t.Name));
        Assert.False(source.Contains($"blocks.0.linear.{scaleName}"));

        var stored = source.ReadStored("blocks.0.linear.weight");
        Assert.Equal((format, Scale), (stored.Format, stored.Scale));
        var codes = FloatFormats.Narrow(format, Values);
        Assert.Equal(codes, stored.Bytes.ToArray());
        var decoded = new float[Values.Length];
        FloatFormats.Widen(format, codes, 1f, decoded);
        Assert.Equal(decoded.Select(v => v * Scale), source.ReadFloat32("blocks.0.linear.weight"));
        Assert.Equal(decoded, source.ReadFloat32("plain.weight"));
        Assert.Equal(1f, source.ReadStored("plain.weight").Scale);
    }

    [Fact]
    public void ComfyUiCompanionsAreFoldedWithoutEffect()
    {
        using var folder = new TempFolder();
        using var source = Open(folder, Fp8("model.diffusion_model.x.weight"), Scalar("model.diffusion_model.scaled_fp8", 0f, 0),
            Scalar("model.diffusion_model.x.scale_weight", Scale, 1), Scalar("model.diffusion_model.x.scale_input", 2.5f),
            Fp8("y.weight"), Scalar("y.weight_scale", Scale), Scalar("y.input_scale", 1f), Json("y.comfy_quant", """{"format": "float8_e4m3fn"}"""));
        Assert.Equal(["model.diffusion_model.x.weight", "y.weight"], source.Tensors.Select(t => t.Name));
        Assert.Equal(Scale, source.ReadStored("model.diffusion_model.x.weight").Scale);
        Assert.Equal(Scale, source.ReadStored("y.weight").Scale);
        Assert.Throws<SafetensorsException>(() => source.Info("y.weight_scale"));
    }

    [Fact]
    public void FileWithoutCompanionsIsReturnedAsItIs()
    {
        using var folder = new TempFolder();
        using var source = Open(folder, Fp8("a.weight"));
        Assert.IsType<SafetensorsFile>(source);
    }

    [Fact]
    public void BothScaleSpellings() =>
        Assert.Contains("'x.weight' has both", Rejected(Fp8("x.weight"), Scalar("x.scale_weight", Scale), Scalar("x.weight_scale", Scale)));

    [Fact]
    public void ScaleBesideANonFp8Weight() =>
        Assert.Contains("stored as I8; only per-tensor scaled fp8", Rejected(new TensorToWrite("x.weight", DType.I8, [2], new byte[2]), Scalar("x.weight_scale", Scale)));

    [Fact]
    public void ScaleWithoutItsWeight() =>
        Assert.Contains("'x.scale_weight': belongs to weight 'x.weight', which the file does not hold", Rejected(Fp8("y.weight"), Scalar("x.scale_weight", Scale)));

    [Fact]
    public void PerChannelScale() =>
        Assert.Contains("per-channel or block scales are not supported", Rejected(Fp8("x.weight"), Scalar("x.weight_scale", Scale, 2)));

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.PositiveInfinity)]
    public void ScaleMustBePositiveAndFinite(float value) =>
        Assert.Contains("is not a positive finite number", Rejected(Fp8("x.weight"), Scalar("x.scale_weight", value)));

    [Theory]
    [InlineData("x.weight_scale_2")]
    [InlineData("x.weight_scale_inv")]
    [InlineData("x.qscale_weight")]
    [InlineData("x.weight_zero_point")]
    [InlineData("x.scale")]
    public void UnknownScaleLikeTensor(string name) =>
        Assert.Contains($"'{name}': unsupported quantization tensor", Rejected(Fp8("x.weight"), Scalar(name, Scale)));

    [Theory]
    [InlineData("""{"format": "float8_e5m2"}""", "does not match the weight's F8_E4M3")]
    [InlineData("""{"format": "nvfp4"}""", "does not match")]
    [InlineData("""{"format": "float8_e4m3fn", "convrot": true}""", "unsupported quantization setting 'convrot'")]
    [InlineData("""{}""", "format (none) does not match")]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{"format""", "not valid JSON")]
    public void LayerConfigMustNameTheWeightsFormat(string json, string message) =>
        Assert.Contains(message, Rejected(Fp8("x.weight"), Json("x.comfy_quant", json)));
}
