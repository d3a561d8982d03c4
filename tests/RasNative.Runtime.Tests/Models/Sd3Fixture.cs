using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>Loads a fixture model folder and a case file's inputs onto a backend.</summary>
internal static class Sd3Fixture
{
    public static Sd3Transformer LoadModel(string folderPath, IBackend backend)
    {
        return Sd3Transformer.Load(ModelSource.Open(folderPath).Get(PipelineComponent.Transformer), backend);
    }

    public static string ModelPath(string model) => FixturePaths.Get("sd3", model);

    /// <summary>The cases every fixtures/sd3 model folder holds.</summary>
    public static readonly string[] CaseNames = ["case_a", "case_b", "case_c", "case_d"];

    /// <summary>A case file of a fixtures/sd3 model: its inputs and diffusers' sample.</summary>
    public static SafetensorsFile OpenCase(string model, string caseName) =>
        SafetensorsFile.Open(Path.Combine(ModelPath(model), caseName + ".safetensors"));

    /// <summary>The fixtures/sd3-single-file models × their folders' cases.</summary>
    public static TheoryData<string, string> SingleFileCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "sd3-tiny", "sd35-tiny" })
            foreach (var c in CaseNames)
                data.Add(model, c);
        return data;
    }

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
