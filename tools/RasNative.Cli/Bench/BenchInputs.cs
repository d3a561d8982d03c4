using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Sd3;
using RasNative.Sampler.Generation;

namespace RasNative.Cli.Bench;

/// <summary>The forward inputs a bench times, from a file or random, held on the host.</summary>
public sealed class BenchInputs
{
    public required float[] HiddenStates { get; init; }
    public required int[] LatentShape { get; init; }
    public required float[] EncoderHiddenStates { get; init; }
    public required int TextTokens { get; init; }
    public required int TextWidth { get; init; }
    public required float[] PooledProjections { get; init; }
    public required float[] Timestep { get; init; }

    int Batch => LatentShape[0];

    public static BenchInputs Create(string? path, Sd3TransformerConfig config, int batch, int text, int? widthPixels, int? heightPixels)
    {
        if (path != null)
        {
            using var file = InputTensors.Open(path);
            var latent = file.Shape("hidden_states", 4);
            var context = file.Shape("encoder_hidden_states", 3);
            return new BenchInputs
            {
                HiddenStates = file.Read("hidden_states", 4), LatentShape = latent,
                EncoderHiddenStates = file.Read("encoder_hidden_states", 3), TextTokens = context[1], TextWidth = context[2],
                PooledProjections = file.Read("pooled_projections", 2), Timestep = file.Read("timestep", 1),
            };
        }
        int multiple = 8 * config.PatchSize;
        int w = widthPixels ?? config.SampleSize * 8, h = heightPixels ?? config.SampleSize * 8;
        if (w <= 0 || h <= 0 || w % multiple != 0 || h % multiple != 0)
            throw new UsageException($"--width {w} / --height {h}: each must be a positive multiple of {multiple} (8 · patch_size)");
        var random = new System.Random(1);
        float[] Normalish(long n) => [.. Enumerable.Range(0, checked((int)n)).Select(_ => (float)(random.NextDouble() * 2 - 1) * 1.7f)];
        int[] shape = [batch, config.InChannels, h / 8, w / 8];
        return new BenchInputs
        {
            HiddenStates = Normalish((long)batch * config.InChannels * (h / 8) * (w / 8)), LatentShape = shape,
            EncoderHiddenStates = Normalish((long)batch * text * config.JointAttentionDim), TextTokens = text, TextWidth = config.JointAttentionDim,
            PooledProjections = Normalish((long)batch * config.PooledProjectionDim),
            Timestep = Enumerable.Repeat(500f, batch).ToArray(),
        };
    }

    public Sd3Inputs Upload(IBackend backend) => new(
        backend.Upload(HiddenStates, LatentShape),
        backend.Upload(EncoderHiddenStates, Batch, TextTokens, TextWidth),
        backend.Upload(PooledProjections, Batch, PooledProjections.Length / Batch),
        Timestep);

    /// <summary>Text conditioning for a guided sampling run: batch row 0 as negative, the last row as prompt.</summary>
    public TextConditioning Conditioning()
    {
        int rowText = TextTokens * TextWidth, rowPooled = PooledProjections.Length / Batch;
        return new TextConditioning(
            EncoderHiddenStates[^rowText..], PooledProjections[^rowPooled..],
            EncoderHiddenStates[..rowText], PooledProjections[..rowPooled],
            TextTokens, TextWidth, rowPooled);
    }

    /// <summary>--save: the model folder (random presets) and inputs.safetensors, written atomically.</summary>
    public static void Save(string folder, Sd3TransformerConfig config, RandomWeights? weights, BenchInputs inputs)
    {
        Directory.CreateDirectory(folder);
        if (weights != null)
        {
            SafetensorsWriter.Write(Path.Combine(folder, "diffusion_pytorch_model.safetensors"),
                weights.Generated.Select(t => TensorToWrite.F32(t.Name, t.Data, [.. t.Shape.Select(d => (long)d)])));
            AtomicFile.Write(Path.Combine(folder, "config.json"), s =>
            {
                using var writer = new StreamWriter(s);
                writer.Write(ModelPresets.ToConfigJson(config));
            });
        }
        var file = new OutputFile();
        file.Add("hidden_states", inputs.HiddenStates, inputs.LatentShape);
        file.Add("encoder_hidden_states", inputs.EncoderHiddenStates, [inputs.Batch, inputs.TextTokens, inputs.TextWidth]);
        file.Add("pooled_projections", inputs.PooledProjections, [inputs.Batch, inputs.PooledProjections.Length / inputs.Batch]);
        file.Add("timestep", inputs.Timestep, [inputs.Batch]);
        file.Write(Path.Combine(folder, "inputs.safetensors"));
    }
}
