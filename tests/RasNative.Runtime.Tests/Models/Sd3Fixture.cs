using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;

namespace RasNative.Runtime.Tests.Models;

/// <summary>Loads a fixture model folder and a case file's inputs onto a backend.</summary>
internal static class Sd3Fixture
{
    public static Sd3Transformer LoadModel(string folderPath, IBackend backend)
    {
        return Sd3Transformer.Load(ModelSource.Open(folderPath).Get(PipelineComponent.Transformer), backend);
    }

    public static string ModelPath(string model) => FixturePaths.Get("sd3", model);

    /// <summary>The same model from fixtures/sd3-single-file (Stability's layout), with the folder's config.json (head dim 8).</summary>
    public static Sd3Transformer LoadSingleFile(string model, IBackend backend) =>
        Sd3Transformer.Load(ModelSource.Open(FixturePaths.Get("sd3-single-file", model + ".safetensors"),
            new ModelSourceOptions { TransformerConfig = Path.Combine(ModelPath(model), "config.json") }).Get(PipelineComponent.Transformer), backend);

    public static Sd3Inputs LoadInputs(SafetensorsFile file, IBackend backend) => new(
        Upload(file, "hidden_states", backend),
        Upload(file, "encoder_hidden_states", backend),
        Upload(file, "pooled_projections", backend),
        file.ReadFloat32("timestep"));

    public static Runtime.Tensors.Tensor Upload(ITensorSource file, string name, IBackend backend) =>
        backend.Upload(file.ReadFloat32(name), [.. file.Info(name).Shape.Select(d => (int)d)]);

    public static float[] Run(Sd3Transformer model, IBackend backend, Sd3Inputs inputs, Runtime.Models.IActivationObserver? observer = null)
    {
        var latent = inputs.HiddenStates;
        var output = backend.Allocate(latent.Dim(0), model.Config.OutChannels, latent.Dim(2), latent.Dim(3));
        model.Forward(inputs, output, observer: observer);
        var result = new float[output.Length];
        backend.Download(output, result);
        return result;
    }
}
