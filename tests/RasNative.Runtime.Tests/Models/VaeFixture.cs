using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Vae;
using RasNative.Tests;

namespace RasNative.Runtime.Tests.Models;

/// <summary>Loads fixtures/vae/sd3-vae-tiny and its case files; shared by the CPU and CUDA tests.</summary>
internal static class VaeFixture
{
    public static string ModelPath { get; } = FixturePaths.Get("vae", "sd3-vae-tiny");

    public static VaeDecoder LoadModel(IBackend backend, string? path = null) =>
        VaeDecoder.Load(ModelSource.Open(path ?? ModelPath).Get(PipelineComponent.Vae), backend);

    public static SafetensorsFile OpenCase(string name) => SafetensorsFile.Open(Path.Combine(ModelPath, name + ".safetensors"));

    public static int[] Shape(ITensorSource file, string name) => [.. file.Info(name).Shape.Select(d => (int)d)];

    /// <summary>A recorded channels-last activation [1, H, W, C] in the fixture's [1, C, H, W].</summary>
    public static (float[] Data, int[] Shape) ChannelsFirst(float[] data, int[] shape)
    {
        int height = shape[1], width = shape[2], channels = shape[3], plane = height * width;
        var result = new float[data.Length];
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < channels; c++)
                result[c * plane + p] = data[p * channels + c];
        return (result, [shape[0], channels, height, width]);
    }
}
