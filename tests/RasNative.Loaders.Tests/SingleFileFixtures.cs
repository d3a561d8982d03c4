using RasNative.Loaders.ModelSources;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>Paths of the single-file and pipeline fixtures, rewritten files for bad-input cases, and bitwise tensor comparison.</summary>
static class SingleFileFixtures
{
    public static string Pipeline => FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny");
    public static string AllInOne => FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp32.safetensors");
    public static string AllInOneFp8 => FixturePaths.Get("sd3-single-file", "sd3-pipeline-tiny_incl_clips_t5xxlfp8.safetensors");
    public static string SaiFile(string model) => FixturePaths.Get("sd3-single-file", model + ".safetensors");
    public static string TransformerFolder(string model) => FixturePaths.Get("sd3", model);
    public static string TransformerConfig(string model) => Path.Combine(TransformerFolder(model), "config.json");

    /// <summary>The all-in-one file with the pipeline folder for what the tiny models' shapes cannot tell.</summary>
    public static ModelSource OpenAllInOne(string? path = null) => ModelSource.Open(path ?? AllInOne, new ModelSourceOptions
    {
        TransformerConfig = Path.Combine(Pipeline, "transformer", "config.json"),
        TextEncoders = Pipeline,
        Vae = Pipeline,
    });

    public static void Rewrite(string source, string target, Func<string, string?> rename, IEnumerable<TensorToWrite>? extra = null) =>
        CheckpointRewriter.Rewrite(source, target, rename, extra);

    /// <summary>The same names, dtypes, shapes and bits (ReadFloat32 of F32 data is a plain copy, so bits compare exactly).</summary>
    public static void AssertBitIdentical(ITensorSource expected, ITensorSource actual, string what)
    {
        Assert.Equal(expected.Tensors.Select(t => t.Name), actual.Tensors.Select(t => t.Name));
        foreach (var tensor in expected.Tensors)
        {
            var mapped = actual.Info(tensor.Name);
            Assert.True(tensor.DType == mapped.DType, $"{what}: {tensor.Name} dtype {mapped.DType}, expected {tensor.DType}");
            Assert.True(tensor.Shape.SequenceEqual(mapped.Shape), $"{what}: {tensor.Name} shape {mapped.ShapeText}, expected {tensor.ShapeText}");
            Assert.True(Bits(expected.ReadFloat32(tensor.Name)).SequenceEqual(Bits(actual.ReadFloat32(tensor.Name))), $"{what}: {tensor.Name} differs");
        }
    }

    static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    public static string ErrorOf(Action action)
    {
        var error = Assert.Throws<ModelFolderException>(action);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }
}
