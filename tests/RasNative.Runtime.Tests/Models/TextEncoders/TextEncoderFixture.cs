using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.TextEncoders;
using RasNative.Runtime.Models.TextEncoders.Clip;
using RasNative.Runtime.Models.TextEncoders.T5;
using RasNative.Tests;

namespace RasNative.Runtime.Tests.Models.TextEncoders;

/// <summary>
/// fixtures/text-encoders: loads an encoder folder onto a backend, runs a case file's ids (and mask) with every
/// activation recorded, and compares each tensor the case file holds. Shared by the CPU and CUDA tests.
/// </summary>
internal static class TextEncoderFixture
{
    public static string Folder(string encoder) => FixturePaths.Get("text-encoders", encoder);

    public static SafetensorsFile Case(string encoder, string caseName) =>
        SafetensorsFile.Open(Path.Combine(Folder(encoder), caseName + ".safetensors"));

    public static ClipTextModel LoadClip(string folder, IBackend backend) =>
        ClipTextModel.Load(ModelSource.Open(folder).Get(PipelineComponent.TextEncoder), backend);

    public static T5Encoder LoadT5(string folder, IBackend backend) =>
        T5Encoder.Load(ModelSource.Open(folder).Get(PipelineComponent.TextEncoder3), backend);

    public static TokenBatch Ids(ITensorSource file, string name = "input_ids") =>
        new([.. file.ReadInt64(name).Select(id => checked((int)id))], checked((int)file.Info(name).Shape[0]));

    public static int[] Mask(ITensorSource file) =>
        file.Contains("attention_mask") ? [.. file.ReadInt64("attention_mask").Select(v => checked((int)v))] : [];

    /// <summary>Runs a CLIP case with the penultimate hidden state selected; returns the recorded activations and the outputs.</summary>
    public static (ActivationRecorder Recorded, float[] Penultimate, float[] TextEmbeds) RunClip(ClipTextModel model, IBackend backend, ITensorSource file)
    {
        var recorder = new ActivationRecorder(backend);
        var output = model.Forward(Ids(file), model.Layers - 1, Mask(file), recorder);
        return (recorder, Download(backend, output.HiddenState), Download(backend, output.TextEmbeds));
    }

    public static (ActivationRecorder Recorded, float[] LastHiddenState) RunT5(T5Encoder model, IBackend backend, ITensorSource file)
    {
        var recorder = new ActivationRecorder(backend);
        var output = model.Forward(Ids(file), Mask(file), recorder);
        return (recorder, Download(backend, output));
    }

    /// <summary>Every float32 tensor of <paramref name="expected"/> (F64 estimates and ids skipped) against the recorded one of that name.</summary>
    public static IEnumerable<(string Name, float[] Expected, float[] Actual)> Pairs(ActivationRecorder recorded, ITensorSource expected, params string[] skip)
    {
        foreach (var info in expected.Tensors.Where(t => t.DType == DType.F32 && !skip.Contains(t.Name)))
        {
            if (!recorded.Recorded.TryGetValue(info.Name, out var actual))
                throw new InvalidOperationException($"the forward recorded no '{info.Name}'");
            if (!actual.Shape.Select(d => (long)d).SequenceEqual(info.Shape))
                throw new InvalidOperationException($"'{info.Name}' recorded as [{string.Join(", ", actual.Shape)}], expected {info.ShapeText}");
            yield return (info.Name, expected.ReadFloat32(info.Name), actual.Data);
        }
    }

    public static float[] Download(IBackend backend, Runtime.Tensors.Tensor tensor)
    {
        var values = new float[tensor.Length];
        backend.Download(tensor, values);
        return values;
    }
}
