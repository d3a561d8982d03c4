using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.TextEncoders;
using RasNative.Runtime.Models.TextEncoders.Clip;
using RasNative.Runtime.Models.TextEncoders.T5;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>
/// A text encoder's bench work: one forward of seeded random ids [batch, tokens] — CLIP at its 77 positions (the
/// penultimate hidden state and text_embeds, as SD3 reads them), T5 at SD3's default max_sequence_length 256 unless
/// --text-len says otherwise. Text encoders do not sample, so --steps and the RAS flags do not apply.
/// </summary>
public sealed class TextEncoderWorkload : IBenchWorkload
{
    /// <summary>SD3's default max_sequence_length, T5's default bench length.</summary>
    public const int T5DefaultTokens = 256;

    readonly Action forward;
    readonly Action<string> saveModel;
    readonly int[] ids;

    TextEncoderWorkload(int batch, int tokens, long weightBytes, Action forward, Action<string> saveModel, int[] ids)
    {
        (LatentShape, TextTokens, WeightBytes, this.forward, this.saveModel, this.ids) = ([batch], tokens, weightBytes, forward, saveModel, ids);
    }

    public static TextEncoderWorkload Clip(IBackend backend, ClipTextModel model, RandomWeights weights, int batch, int? tokens)
    {
        var input = RandomIds(batch, tokens ?? model.Config.MaxPositionEmbeddings, model.Config.VocabSize);
        return new TextEncoderWorkload(batch, input.Tokens, model.WeightBytes, () => model.Forward(input, model.Layers - 1),
            folder => ModelPresets.SaveModel(folder, ModelPresets.ToConfigJson(model.Config), weights, TransformersWeightsFile), input.Ids);
    }

    public static TextEncoderWorkload T5(IBackend backend, T5Encoder model, RandomWeights weights, int batch, int? tokens)
    {
        var input = RandomIds(batch, tokens ?? T5DefaultTokens, model.Config.VocabSize);
        return new TextEncoderWorkload(batch, input.Tokens, model.WeightBytes, () => model.Forward(input),
            folder => ModelPresets.SaveModel(folder, ModelPresets.ToConfigJson(model.Config), weights, TransformersWeightsFile), input.Ids);
    }

    const string TransformersWeightsFile = "model.safetensors";

    /// <summary>[B] (a text encoder has no latent).</summary>
    public int[] LatentShape { get; }
    public int ImageTokens => 0;
    public int TextTokens { get; }
    public long WeightBytes { get; }

    public void Forward() => forward();

    public RasOptions DefaultRas(int steps) => throw NoSampling();

    public void Sample(int steps, RasOptions ras, Action<StepReport> onStep) => throw NoSampling();

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        saveModel(folder);
        Loaders.Files.AtomicFile.Write(Path.Combine(folder, "inputs.safetensors"), stream => Loaders.SafetensorsWriter.Write(stream,
            [Loaders.TensorToWrite.I64("input_ids", [.. ids.Select(id => (long)id)], LatentShape[0], TextTokens)]));
    }

    // BenchCommand refuses sampling flags for text encoders before loading; reaching these is a programming error.
    static InvalidOperationException NoSampling() => new("a text encoder does not sample");

    static TokenBatch RandomIds(int batch, int tokens, int vocabulary)
    {
        var random = new System.Random(1);
        return new TokenBatch([.. Enumerable.Range(0, checked(batch * tokens)).Select(_ => random.Next(vocabulary))], batch);
    }
}
