using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

/// <summary>
/// diffusers' SD3Transformer2DModel (SD3 and SD3.5: qk-norm, dual attention, context_pre_only last block)
/// as a flat sequence of backend ops over a preplanned arena. The forward runs over the full image-token
/// grid or over a subset of patches (RAS), the latter attending against a per-layer K/V cache.
/// </summary>
public sealed partial class Sd3Transformer
{
    public const int TimestepFeatures = 256;
    const float NormEps = 1e-6f;

    readonly IBackend backend;
    readonly Sd3Weights weights;
    readonly Dictionary<(int Rows, int Cols), IndexList> densePosRows = [];
    readonly IndexBuffer activePosRows;
    readonly ForwardSetup<Sd3Activations> setup;

    Sd3Transformer(IBackend backend, Sd3TransformerConfig config, Sd3Weights weights)
    {
        this.backend = backend;
        Config = config;
        this.weights = weights;
        activePosRows = new IndexBuffer(backend);
        setup = new ForwardSetup<Sd3Activations>(backend, CacheSlots(config), (allocator, shape) => Arena(allocator, config, shape));
    }

    public Sd3TransformerConfig Config { get; }

    int Width => Config.InnerDim;

    int Heads => Config.NumAttentionHeads;

    int HeadDim => Config.AttentionHeadDim;

    public static Sd3Transformer Load(ITensorSource checkpoint, Sd3TransformerConfig config, IBackend backend) =>
        Load(new CheckpointWeights(checkpoint), config, backend);

    /// <summary>The transformer component of a <see cref="ModelSource"/>, whatever layout it was stored in.</summary>
    public static Sd3Transformer Load(ModelComponent transformer, IBackend backend) =>
        ModelLoading.FromComponent(transformer, Sd3TransformerConfig.FromJson, (weights, config) => Load(weights, config, backend));

    public static Sd3Transformer Load(IWeightSource weights, Sd3TransformerConfig config, IBackend backend)
    {
        var (bound, bytes) = ModelLoading.Bind(weights, backend, binder => Sd3Weights.Bind(binder, config));
        return new(backend, config, bound) { WeightBytes = bytes };
    }

    /// <summary>Backend memory the parameters hold (Linear weights in their stored width).</summary>
    public long WeightBytes { get; private init; }

    /// <summary>The bound parameters (their formats and sizes).</summary>
    public Sd3Weights Weights => weights;

    /// <summary>
    /// output [B, C_out, H, W] ← the velocity. With <paramref name="activePatches"/> only those patches
    /// (row-major ids of the H/p × W/p grid, in the given order) go through the blocks and only their pixels of
    /// <paramref name="output"/> are written; this requires <see cref="KvCacheMode.Update"/> after a
    /// <see cref="KvCacheMode.Store"/> forward of the same batch and grid.
    /// </summary>
    public void Forward(Sd3Inputs inputs, Tensor output, int[]? activePatches = null,
        KvCacheMode cacheMode = KvCacheMode.None, IActivationObserver? observer = null)
    {
        var grid = Validate(inputs, output);
        int batch = grid.Batch, text = inputs.EncoderHiddenStates.Dim(1);
        var (tokens, patches) = setup.Begin(grid, text, activePatches, cacheMode);
        var a = setup.Arena;
        var posRows = activePatches == null ? DensePosRows(grid) : activePosRows.Write(PosRowsOf(grid, activePatches));

        var x = a.X.View(batch, tokens, Width);
        var context = a.Context.View(batch, text, Width);
        var temb = a.TembSilu.View(batch, Width);
        EmbedPatches(inputs.HiddenStates, patches, posRows, x, observer);
        EmbedConditioning(inputs, temb, observer);
        backend.Linear(inputs.EncoderHiddenStates, weights.ContextEmbedder, context);
        observer?.Observe("context_embedded", context);

        var blocks = weights.TransformerBlocks;
        if (blocks.Length > 0) FirstNorm1(blocks[0], x, context, temb, observer);
        for (int i = 0; i < blocks.Length; i++)
        {
            using var range = backend.Range($"transformer_blocks.{i}");
            JointBlock(i, blocks[i], i + 1 < blocks.Length ? blocks[i + 1] : null, x, context, temb, cacheMode, patches, observer);
        }

        OutputHead(x, temb, output, patches, observer);
    }

    /// <summary>
    /// Elements of the buffers a forward of <paramref name="shape"/> allocates: the activation arena and, for RAS
    /// runs, the per-layer image K/V caches. Sized by the same code that allocates them; long.MaxValue when the
    /// shape does not even fit the arithmetic.
    /// </summary>
    public static long ActivationElements(Sd3TransformerConfig config, TokenShape shape, bool rasCache) =>
        ForwardSetup<Sd3Activations>.Elements(shape, rasCache, CacheSlots(config), (allocator, s) => Arena(allocator, config, s));

    /// <summary>Forgets the stored K/V cache (a new run starts from dense steps).</summary>
    public void ResetCache() => setup.KvCache.Reset();

    static Sd3Activations Arena(ITensorAllocator allocator, Sd3TransformerConfig config, TokenShape shape)
    {
        int p = config.PatchSize;
        return new Sd3Activations(allocator, shape, config.InnerDim, config.InChannels * p * p, config.OutChannels * p * p);
    }

    /// <summary>K/V cache slots: 2i for block i's joint attention, 2i + 1 for its attn2 (SD3.5 dual-attention blocks only).</summary>
    static int?[] CacheSlots(Sd3TransformerConfig config) =>
        [.. Enumerable.Range(0, config.NumLayers).SelectMany(i => new int?[] { config.InnerDim, config.DualAttentionLayers.Contains(i) ? config.InnerDim : null })];
}
