using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

/// <summary>
/// diffusers' LuminaNextDiT2DModel (GQA, qk LayerNorm across heads, 2-D RoPE, sandwich RMS norms, tanh-gated
/// cross-attention) as a flat sequence of backend ops over a preplanned arena. The forward runs over the full
/// patch grid or over a subset of patches (RAS), whose self-attention then reads a per-layer K/V cache.
/// </summary>
public sealed partial class LuminaNextTransformer
{
    public const int TimestepFeatures = 256;
    const float NormOutEps = 1e-6f;
    const float QkNormEps = 1e-5f;
    const float CaptionNormEps = 1e-5f;

    readonly IBackend backend;
    readonly LuminaNextWeights weights;
    readonly Dictionary<(int Rows, int Cols, LuminaRopeScaling Scaling), Tensor> ropeTables = [];
    readonly ForwardSetup<LuminaNextActivations> setup;

    LuminaNextTransformer(IBackend backend, LuminaNextConfig config, LuminaNextWeights weights)
    {
        this.backend = backend;
        Config = config;
        this.weights = weights;
        setup = new ForwardSetup<LuminaNextActivations>(backend, CacheSlots(config), (allocator, shape) => new LuminaNextActivations(allocator, shape, config));
    }

    public LuminaNextConfig Config { get; }

    int Width => Config.HiddenSize;

    int Heads => Config.NumAttentionHeads;

    int HeadDim => Config.HeadDim;

    /// <summary>E = min(hidden_size, 1024): width of temb and of every adaptive-norm input.</summary>
    public static int ConditioningWidth(LuminaNextConfig cfg) => Math.Min(cfg.HiddenSize, 1024);

    /// <summary>LuminaFeedForward's inner size: int(2·4D/3), times ffn_dim_multiplier, rounded up to multiple_of.</summary>
    public static int FeedForwardInner(LuminaNextConfig cfg)
    {
        int inner = (int)(2.0 * (4 * cfg.HiddenSize) / 3);
        if (cfg.FfnDimMultiplier is { } multiplier) inner = (int)(multiplier * inner);
        return cfg.MultipleOf * ((inner + cfg.MultipleOf - 1) / cfg.MultipleOf);
    }

    /// <summary>The pipeline's base_sequence_length for proportional attention: (sample_size·8 / 16)².</summary>
    public int DefaultBaseSequenceLength => (Config.SampleSize * 8 / 16) * (Config.SampleSize * 8 / 16);

    public static LuminaNextTransformer Load(ITensorSource checkpoint, LuminaNextConfig config, IBackend backend) =>
        Load(new CheckpointWeights(checkpoint), config, backend);

    /// <summary>The transformer component of a <see cref="ModelSource"/>.</summary>
    public static LuminaNextTransformer Load(ModelComponent transformer, IBackend backend)
    {
        var config = LuminaNextConfig.FromJson(transformer.Config, transformer.ConfigSource);
        using var weights = transformer.OpenWeights();
        return Load(weights, config, backend);
    }

    public static LuminaNextTransformer Load(IWeightSource weights, LuminaNextConfig config, IBackend backend)
    {
        var binder = new WeightBinder(weights, backend);
        return new(backend, config, LuminaNextWeights.Bind(binder, config)) { WeightBytes = binder.BytesHeld };
    }

    /// <summary>Backend memory the parameters hold (Linear weights in their stored width).</summary>
    public long WeightBytes { get; private init; }

    /// <summary>The bound parameters (their formats and sizes).</summary>
    public LuminaNextWeights Weights => weights;

    /// <summary>
    /// output [B, C_out, H, W] ← the model output (learn_sigma: 2C channels). With <paramref name="activePatches"/>
    /// only those patches (row-major ids of the H/p × W/p grid, in the given order) go through the layers and only
    /// their pixels of <paramref name="output"/> are written; this requires <see cref="KvCacheMode.Update"/> after a
    /// <see cref="KvCacheMode.Store"/> forward of the same batch and grid.
    /// </summary>
    public void Forward(LuminaNextInputs inputs, Tensor output, int[]? activePatches = null,
        KvCacheMode cacheMode = KvCacheMode.None, IActivationObserver? observer = null)
    {
        var grid = Validate(inputs, output);
        int batch = grid.Batch;
        var (tokens, patches) = setup.Begin(grid, inputs.EncoderHiddenStates.Dim(1), activePatches, cacheMode);
        var a = setup.Arena;

        var x = a.X.View(batch, tokens, Width);
        var tembSilu = a.TembSilu.View(batch, ConditioningWidth(Config));
        var rope = RopeRows(grid, inputs.Rope, patches, tokens);
        var attention = new AttentionScales(SelfAttentionScale(grid.Patches, inputs.BaseSequenceLength), 1f / MathF.Sqrt(HeadDim));
        EmbedPatches(inputs.HiddenStates, patches, x, observer);
        EmbedConditioning(inputs, tembSilu, observer);

        for (int i = 0; i < weights.Layers.Length; i++)
        {
            using var range = backend.Range($"layers.{i}");
            Block(i, weights.Layers[i], x, inputs, tembSilu, rope, attention, cacheMode, patches, observer);
        }

        OutputHead(x, tembSilu, output, patches, observer);
    }

    /// <summary>
    /// attn1's softmax scale: 1/√hd, times √(ln P / ln base) with proportional attention, P being the key length,
    /// which is the whole grid on RAS steps too (the keys come from the cache).
    /// </summary>
    float SelfAttentionScale(int keys, int? baseSequenceLength)
    {
        double scale = Math.Pow(HeadDim, -0.5);
        if (baseSequenceLength is { } baseLength) scale *= Math.Sqrt(Math.Log(keys) / Math.Log(baseLength));
        return (float)scale;
    }

    /// <summary>
    /// Elements of the buffers a forward of <paramref name="shape"/> allocates: the activation arena and, for RAS
    /// runs, the per-layer attn1 K/V caches; long.MaxValue when the shape does not even fit the arithmetic.
    /// </summary>
    public static long ActivationElements(LuminaNextConfig config, TokenShape shape, bool rasCache) =>
        ForwardSetup<LuminaNextActivations>.Elements(shape, rasCache, CacheSlots(config), (allocator, s) => new LuminaNextActivations(allocator, s, config));

    /// <summary>Forgets the stored K/V cache (a new run starts from dense steps).</summary>
    public void ResetCache() => setup.KvCache.Reset();

    /// <summary>attn1 of every layer: keys after qk-norm and RoPE, grouped [B, P, kvHeads·hd] (cross-attention is never cached).</summary>
    static int?[] CacheSlots(LuminaNextConfig config) => [.. Enumerable.Repeat<int?>(config.KvHeads * config.HeadDim, config.NumLayers)];

    /// <summary>Softmax scales of one forward: attn1 (maybe proportional) and attn2 (always 1/√hd).</summary>
    readonly record struct AttentionScales(float Self, float Cross);
}
