using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Tensors;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Bench;

/// <summary>
/// What the patch transformers' bench work shares: the four forward inputs (from --inputs or random, see
/// <see cref="BenchInputs"/>), the output they are run into, the image token count, and --save. A family adds its
/// inputs record, its forward, its RAS defaults and its guided sampling run.
/// </summary>
public abstract class TransformerWorkload : ISamplingWorkload
{
    readonly RandomWeights? weights;
    readonly string configJson;

    /// <param name="configJson">The model's config.json, written by --save beside random weights.</param>
    protected TransformerWorkload(IBackend backend, RandomWeights? weights, string configJson, BenchInputs data, int patchSize, int outChannels)
    {
        (Backend, this.weights, this.configJson, Data) = (backend, weights, configJson, data);
        Output = backend.Allocate(data.Batch, outChannels, data.LatentShape[2], data.LatentShape[3]);
        ImageTokens = data.LatentShape[2] / patchSize * (data.LatentShape[3] / patchSize);
    }

    protected IBackend Backend { get; }

    protected BenchInputs Data { get; }

    /// <summary>The forward's output [B, C_out, H, W].</summary>
    protected Tensor Output { get; }

    public int[] LatentShape => Data.LatentShape;
    public int ImageTokens { get; }
    public int TextTokens => Data.TextTokens;
    public abstract long WeightBytes { get; }

    public abstract void Forward();

    public abstract RasOptions DefaultRas(int steps);

    public abstract void Sample(int steps, RasOptions ras, Action<StepReport> onStep);

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        if (weights != null) ModelPresets.SaveModel(folder, configJson, weights);
        Data.Save(Path.Combine(folder, "inputs.safetensors"));
    }

    /// <summary>The inputs uploaded: latents [B, C, H, W], text [B, L, width], the family's extra tensor.</summary>
    protected (Tensor Latent, Tensor Text, Tensor Extra) Upload() =>
        (Backend.Upload(Data.Latent, Data.LatentShape), Backend.Upload(Data.Text, Data.Batch, Data.TextTokens, Data.TextWidth),
         Backend.Upload(Data.Extra, Data.ExtraShape));

    /// <summary>Batch row <paramref name="row"/> of an input's values (the sampling runs take one prompt and one negative).</summary>
    protected float[] Row(float[] values, int row) => BenchInputs.Row(values, Data.Batch, row);

    /// <summary>The first batch row's latent and its shape [1, C, H, W]: the sampling run's start.</summary>
    protected (float[] Latent, int[] Shape) FirstLatent => (Row(Data.Latent, 0), [1, .. Data.LatentShape[1..]]);
}
