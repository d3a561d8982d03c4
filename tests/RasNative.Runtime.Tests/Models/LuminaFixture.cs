using System.Globalization;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;

namespace RasNative.Runtime.Tests.Models;

/// <summary>Loads the lumina-next-tiny fixture model and a case file's inputs (RoPE factors and base length from its metadata).</summary>
internal static class LuminaFixture
{
    public static string ModelPath { get; } = FixturePaths.Get("lumina-next", "lumina-next-tiny");

    public static LuminaNextTransformer LoadModel(string folderPath, IBackend backend)
    {
        return LuminaNextTransformer.Load(ModelSource.Open(folderPath).Get(PipelineComponent.Transformer), backend);
    }

    public static SafetensorsFile OpenCase(string caseName) => SafetensorsFile.Open(Path.Combine(ModelPath, caseName + ".safetensors"));

    public static LuminaNextInputs LoadInputs(SafetensorsFile file, IBackend backend)
    {
        var mask = file.ReadInt64("encoder_mask");
        var baseLength = file.Metadata["base_sequence_length"];
        return new LuminaNextInputs(
            Sd3Fixture.Upload(file, "hidden_states", backend),
            file.ReadFloat32("timestep"),
            Sd3Fixture.Upload(file, "encoder_hidden_states", backend),
            backend.Upload([.. mask.Select(m => (float)m)], [.. file.Info("encoder_mask").Shape.Select(d => (int)d)]),
            new LuminaRopeScaling(Metadata(file, "rope_linear_factor"), Metadata(file, "rope_ntk_factor")),
            baseLength == "none" ? null : int.Parse(baseLength, CultureInfo.InvariantCulture));
    }

    /// <summary>Runs one forward into an output pre-filled with NaN, so pixels left unwritten stay visible.</summary>
    public static float[] Run(LuminaNextTransformer model, IBackend backend, LuminaNextInputs inputs, int[]? active = null,
        KvCacheMode mode = KvCacheMode.None, IActivationObserver? observer = null)
    {
        var latent = inputs.HiddenStates;
        var output = backend.Allocate(latent.Dim(0), model.Config.OutChannels, latent.Dim(2), latent.Dim(3));
        backend.Fill(output, float.NaN);
        model.Forward(inputs, output, active, mode, observer);
        var result = new float[output.Length];
        backend.Download(output, result);
        return result;
    }

    static double Metadata(SafetensorsFile file, string key) => double.Parse(file.Metadata[key], CultureInfo.InvariantCulture);
}
