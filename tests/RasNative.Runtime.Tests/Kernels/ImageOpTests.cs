using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Runtime.Tensors;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

/// <summary>
/// The VAE's ops on the CPU backend against textbook references in float64 written over PyTorch's own layouts
/// (NCHW images, [out, in, kh, kw] kernels), so the channels-last layout, the binder's kernel permutation, the
/// im2col bands and the fused upsampling are all checked, with guard regions around every output.
/// </summary>
public class ImageOpTests
{
    const int Guard = 37;
    const float Sentinel = 12.5f;

    public static TheoryData<int, int, int, int, int, int, bool, string> ConvCases() => new()
    {
        // batch, height, width, in, out, kernel, upsample, weight storage
        { 1, 8, 8, 16, 16, 3, false, "F32" },
        { 2, 5, 7, 3, 11, 3, false, "F32" },
        { 1, 5, 7, 6, 4, 3, true, "F32" },
        { 2, 3, 4, 5, 9, 1, false, "F32" },
        { 1, 3, 4, 5, 9, 1, true, "F32" },
        { 1, 1, 1, 4, 3, 3, false, "F32" },
        { 1, 6, 9, 8, 5, 5, false, "F32" },
        // 24·20 pixels of depth 9·64: more pixels than one im2col band, so several bands in parallel.
        { 1, 24, 20, 64, 33, 3, false, "F32" },
        { 1, 12, 10, 64, 33, 3, true, "BF16" },
        { 2, 6, 5, 16, 16, 3, false, "F16" },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2dMatchesDirectConvolution(int batch, int height, int width, int inChannels, int outChannels, int kernel, bool upsample, string storage)
    {
        using var backend = new CpuBackend();
        var weights = new RandomWeights(seed: height * 31 + inChannels, keep: true, Enum.Parse<DType>(storage));
        var conv = new WeightBinder(weights, backend).Conv2d("conv", outChannels, inChannels, kernel);
        var kernelValues = Values(weights, "conv.weight");
        var bias = Values(weights, "conv.bias");
        var input = RandomValues(new Random(5), batch * inChannels * height * width);

        int outHeight = upsample ? 2 * height : height, outWidth = upsample ? 2 * width : width;
        var x = backend.Upload(ToChannelsLast(input, batch, inChannels, height, width), batch, height, width, inChannels);
        var (whole, y) = GuardedOutput(backend, batch, outHeight, outWidth, outChannels);
        backend.Conv2d(x, conv, kernel, upsample, y);

        var expected = DirectConvolution(input, kernelValues, bias, batch, inChannels, height, width, outChannels, kernel, upsample);
        var actual = ToChannelsFirst(Collect(backend, whole, y.Length), batch, outChannels, outHeight, outWidth);
        Closeness.AssertClose(expected, actual, 1e-5, 1e-5, $"conv2d {kernel}×{kernel}{(upsample ? " upsampled" : "")} {storage}");
    }

    [Fact]
    public void Conv2dRefusesMismatchedShapesAndOverlap()
    {
        using var backend = new CpuBackend();
        var conv = new WeightBinder(new RandomWeights(1), backend).Conv2d("conv", 4, 3, 3);
        var x = backend.Allocate(1, 5, 5, 3);
        Assert.Contains("weight [4, 27]", Assert.Throws<ArgumentException>(() => backend.Conv2d(backend.Allocate(1, 5, 5, 2), conv, 3, false, backend.Allocate(1, 5, 5, 4))).Message);
        Assert.Contains("expected [1, 10, 10, C]", Assert.Throws<ArgumentException>(() => backend.Conv2d(x, conv, 3, true, backend.Allocate(1, 5, 5, 4))).Message);
        Assert.Contains("must be odd", Assert.Throws<ArgumentException>(() => backend.Conv2d(x, conv, 2, false, backend.Allocate(1, 5, 5, 4))).Message);
        var shared = backend.Allocate(200);
        Assert.Contains("overlaps", Assert.Throws<ArgumentException>(() => backend.Conv2d(shared.View(1, 5, 5, 3), conv, 3, false, shared.Slice(50, 1, 5, 5, 4))).Message);
    }

    public static TheoryData<int, int, int, int, bool, bool> GroupNormCases() => new()
    {
        // batch, positions, channels, groups, silu, in place
        { 1, 64, 16, 4, false, false },
        { 2, 30, 12, 3, true, false },
        { 2, 7, 5, 5, true, true },
        { 1, 1, 8, 1, false, false },
        // More positions than one statistics chunk, and a row whose width is not a whole number of vectors.
        { 1, 90_000, 12, 4, true, false },
        { 2, 5_000, 40, 8, false, true },
    };

    [Theory]
    [MemberData(nameof(GroupNormCases))]
    public void GroupNormMatchesDoubleReference(int batch, int positions, int channels, int groups, bool silu, bool inPlace)
    {
        using var backend = new CpuBackend();
        var random = new Random(positions + channels);
        // An offset mean, as real activations have, so a one-pass E[x²] − E[x]² would show.
        var input = RandomValues(random, batch * positions * channels).Select(v => 3f + 2f * v).ToArray();
        var weight = RandomValues(random, channels);
        var bias = RandomValues(random, channels);
        var (whole, y) = GuardedOutput(backend, batch, positions, channels);
        var x = inPlace ? y : backend.Upload(input, batch, positions, channels);
        if (inPlace) backend.Write(input, y);
        backend.GroupNorm(x, backend.Upload(weight, channels), backend.Upload(bias, channels), groups, 1e-6f, silu, y);

        var expected = new float[input.Length];
        int size = channels / groups;
        for (int b = 0; b < batch; b++)
            for (int g = 0; g < groups; g++)
            {
                IEnumerable<int> Members() => Enumerable.Range(0, positions).SelectMany(p => Enumerable.Range(g * size, size).Select(c => (b * positions + p) * channels + c));
                double mean = Members().Average(i => (double)input[i]);
                double variance = Members().Average(i => (input[i] - mean) * (input[i] - mean));
                foreach (int i in Members())
                {
                    double v = (input[i] - mean) / Math.Sqrt(variance + 1e-6) * weight[i % channels] + bias[i % channels];
                    expected[i] = (float)(silu ? v / (1 + Math.Exp(-v)) : v);
                }
            }
        Closeness.AssertClose(expected, Collect(backend, whole, y.Length), 1e-5, 1e-5, $"group norm {groups} groups{(silu ? " + silu" : "")}");
    }

    [Fact]
    public void GroupNormRefusesChannelsTheGroupsDoNotDivide()
    {
        using var backend = new CpuBackend();
        var x = backend.Allocate(1, 4, 6);
        Assert.Contains("4 groups do not divide the 6 channels", Assert.Throws<ArgumentException>(() =>
            backend.GroupNorm(x, backend.Allocate(6), backend.Allocate(6), 4, 1e-6f, false, x)).Message);
    }

    /// <summary>Σ over input channels and kernel taps, in float64, of the (nearest-upsampled) zero-padded input.</summary>
    static float[] DirectConvolution(float[] x, float[] kernel, float[] bias, int batch, int inChannels, int height, int width,
        int outChannels, int k, bool upsample)
    {
        int scale = upsample ? 2 : 1, outHeight = height * scale, outWidth = width * scale, pad = k / 2;
        var y = new float[batch * outChannels * outHeight * outWidth];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < outChannels; o++)
                for (int oy = 0; oy < outHeight; oy++)
                    for (int ox = 0; ox < outWidth; ox++)
                    {
                        double sum = bias[o];
                        for (int c = 0; c < inChannels; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int sy = oy + ky - pad, sx = ox + kx - pad;
                                    if (sy < 0 || sy >= outHeight || sx < 0 || sx >= outWidth) continue;
                                    sum += (double)kernel[((o * inChannels + c) * k + ky) * k + kx] * x[((b * inChannels + c) * height + sy / scale) * width + sx / scale];
                                }
                        y[((b * outChannels + o) * outHeight + oy) * outWidth + ox] = (float)sum;
                    }
        return y;
    }

    static float[] Values(RandomWeights weights, string name)
    {
        var (_, shape, data) = weights.Generated.Single(t => t.Name == name);
        var values = new float[shape.Aggregate(1, (a, d) => a * d)];
        FloatFormats.Widen(weights.Storage, data, 1f, values);
        return values;
    }

    static float[] RandomValues(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    /// <summary>An output view inside a larger allocation whose surrounding guard values must survive the op.</summary>
    static (Tensor Whole, Tensor View) GuardedOutput(CpuBackend backend, params int[] shape)
    {
        long length = Tensor.ShapeLength(shape);
        var values = Enumerable.Repeat(Sentinel, (int)length + 2 * Guard).ToArray();
        var whole = backend.Upload(values, values.Length);
        return (whole, whole.Slice(Guard, shape));
    }

    static float[] Collect(CpuBackend backend, Tensor whole, long length)
    {
        var data = new float[whole.Length];
        backend.Download(whole, data);
        for (int i = 0; i < data.Length; i++)
            if ((i < Guard || i >= Guard + length) && data[i] != Sentinel)
                Assert.Fail($"guard element {i - Guard} overwritten with {data[i]}");
        return data[Guard..(Guard + (int)length)];
    }

    static float[] ToChannelsLast(float[] x, int batch, int channels, int height, int width)
    {
        var result = new float[x.Length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < height * width; p++)
                    result[(b * height * width + p) * channels + c] = x[(b * channels + c) * height * width + p];
        return result;
    }

    static float[] ToChannelsFirst(float[] y, int batch, int channels, int height, int width)
    {
        var result = new float[y.Length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < height * width; p++)
                    result[(b * channels + c) * height * width + p] = y[(b * height * width + p) * channels + c];
        return result;
    }
}
