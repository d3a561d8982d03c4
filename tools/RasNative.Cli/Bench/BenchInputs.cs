using RasNative.Cli.Infrastructure;
using RasNative.Loaders.Files;

namespace RasNative.Cli.Bench;

/// <summary>
/// A transformer forward's four inputs as every family has them — latents, text tokens, one more conditioning
/// tensor (SD3's pooled projections, Lumina's caption mask) and timesteps — read from a file as `forward
/// --inputs` reads them, or random, and saved the same way for other tools (`bench --save`).
/// </summary>
public sealed record BenchInputs(int[] LatentShape, float[] Latent, int TextTokens, float[] Text, string ExtraName, int[] ExtraShape, float[] Extra, float[] Timestep)
{
    public int Batch => LatentShape[0];

    public int TextWidth => Text.Length / Batch / TextTokens;

    public static BenchInputs Read(string path, string extraName, int extraRank)
    {
        using var file = InputTensors.Open(path);
        var latentShape = file.Shape("hidden_states", 4);
        return new BenchInputs(latentShape, file.Read("hidden_states", 4), file.Shape("encoder_hidden_states", 3)[1], file.Read("encoder_hidden_states", 3),
            extraName, file.Shape(extraName, extraRank), file.Read(extraName, extraRank), file.Read("timestep", 1));
    }

    /// <summary>Random latents and text (fixed seed); the extra tensor and timesteps as the family wants them.</summary>
    public static BenchInputs Random(int[] latentShape, int textTokens, int textWidth, string extraName, int[] extraShape,
        Func<System.Random, long, float[]> extra, float timestep)
    {
        var random = new System.Random(1);
        int batch = latentShape[0];
        var latent = BenchShape.RandomValues(random, latentShape.Aggregate(1L, (a, d) => a * d));
        var text = BenchShape.RandomValues(random, (long)batch * textTokens * textWidth);
        return new BenchInputs(latentShape, latent, textTokens, text, extraName, extraShape,
            extra(random, extraShape.Aggregate(1L, (a, d) => a * d)), Enumerable.Repeat(timestep, batch).ToArray());
    }

    /// <summary>Batch row <paramref name="row"/> of a [B, …] tensor's values.</summary>
    public static float[] Row(float[] values, int batch, int row) => values[(values.Length / batch * row)..(values.Length / batch * (row + 1))];

    public void Save(string path) => AtomicFile.Write(path, stream =>
        Loaders.SafetensorsWriter.Write(stream,
        [
            Loaders.TensorToWrite.F32("hidden_states", Latent, [.. LatentShape.Select(d => (long)d)]),
            Loaders.TensorToWrite.F32("encoder_hidden_states", Text, Batch, TextTokens, TextWidth),
            Loaders.TensorToWrite.F32(ExtraName, Extra, [.. ExtraShape.Select(d => (long)d)]),
            Loaders.TensorToWrite.F32("timestep", Timestep, Batch),
        ]));
}
