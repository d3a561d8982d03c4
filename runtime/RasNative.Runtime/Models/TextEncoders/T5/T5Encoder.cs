using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.T5;

/// <summary>
/// transformers' T5EncoderModel (SD3's T5-XXL, v1.1) as a flat sequence of backend ops over a planned arena: token
/// embedding (no scaling, no absolute positions), blocks of RMS-normed self-attention without score scaling plus block
/// 0's relative-position bias (reused by every block, read from its [buckets, heads] table inside the attention), and a
/// gated-GELU feed-forward, then the final RMS norm. The float32-sensitive spots of the reference — the mean of
/// squares, the softmax and the bucket logarithm — are float32 here as everywhere else.
/// </summary>
public sealed class T5Encoder
{
    readonly IBackend backend;
    readonly T5EncoderWeights weights;
    readonly IndexBuffer tokenIds, buckets;
    T5Activations? arena;

    T5Encoder(IBackend backend, T5EncoderConfig config, T5EncoderWeights weights)
    {
        this.backend = backend;
        Config = config;
        this.weights = weights;
        (tokenIds, buckets) = (new IndexBuffer(backend), new IndexBuffer(backend));
    }

    const string Name = "text_encoder_3";

    public T5EncoderConfig Config { get; }

    /// <summary>Backend memory the parameters hold (Linear weights and the token table in their stored width).</summary>
    public long WeightBytes { get; private init; }

    /// <summary>The longest input: relative positions need no table of positions, so only memory bounds it.</summary>
    public const int MaxTokens = 1 << 16;

    public static T5Encoder Load(ModelComponent component, IBackend backend)
    {
        var config = T5EncoderConfig.FromJson(component.Config, component.ConfigSource);
        using var weights = component.OpenWeights();
        return Load(new CheckpointWeights(weights), config, backend);
    }

    public static T5Encoder Load(IWeightSource weights, T5EncoderConfig config, IBackend backend)
    {
        var binder = new WeightBinder(weights, backend);
        return new T5Encoder(backend, config, T5EncoderWeights.Bind(binder, config)) { WeightBytes = binder.BytesHeld };
    }

    /// <summary>Parameters of a T5EncoderModel of <paramref name="config"/>, the tied embedding once (memory checks before random weights are generated).</summary>
    public static long ParameterCount(T5EncoderConfig config)
    {
        long d = config.DModel, inner = config.InnerDim, ff = config.DFf;
        long block = 4 * d * inner + 2 * d + 3 * d * ff;
        return config.VocabSize * d + (long)config.RelativeAttentionNumBuckets * config.NumHeads + config.NumLayers * block + d;
    }

    /// <summary>Elements of the activation buffers a forward of <paramref name="batch"/> × <paramref name="tokens"/> allocates.</summary>
    public static long ActivationElements(T5EncoderConfig config, int batch, int tokens)
    {
        var plan = new MemoryPlan();
        _ = new T5Activations(plan, batch, tokens, config.DModel, config.InnerDim, config.DFf);
        return plan.Elements;
    }

    /// <summary>
    /// last_hidden_state [B, L, d_model] of <paramref name="ids"/> (a view into the arena, valid until the next forward).
    /// <paramref name="attentionMask"/> (optional, 0/1 per token) masks padded keys; SD3 passes none.
    /// </summary>
    public Tensor Forward(TokenBatch ids, ReadOnlySpan<int> attentionMask = default, IActivationObserver? observer = null)
    {
        ids.Validate(Name, Config.VocabSize, MaxTokens);
        var mask = ids.MaskValues(attentionMask, Name);
        int batch = ids.Batch, tokens = ids.Tokens, d = Config.DModel;
        var a = PlanArena(batch, tokens);
        var x = a.X.View(batch, tokens, d);
        var keyMask = mask == null ? null : a.Mask.View(batch, tokens);
        if (keyMask != null) backend.Write(mask, keyMask);
        var bias = new RelativePositionBias(weights.RelativeAttentionBias,
            buckets.Write(T5RelativePositions.Buckets(tokens, tokens, Config.RelativeAttentionNumBuckets, Config.RelativeAttentionMaxDistance)));

        backend.Embedding(weights.EmbedTokensTable, tokenIds.Write(ids.Ids), x);
        observer?.Observe("embeddings", x);
        observer?.Observe("hidden_states.0", x);
        for (int i = 0; i < weights.Blocks.Length; i++)
        {
            using var range = backend.Range($"encoder.block.{i}");
            Block(i, weights.Blocks[i], a, x, bias, keyMask, observer);
            if (i < weights.Blocks.Length - 1) observer?.Observe($"hidden_states.{i + 1}", x);
        }

        var output = a.Output.View(batch, tokens, d);
        backend.RmsNormModulate(x, weights.FinalLayerNorm, null, output, Config.LayerNormEpsilon);
        observer?.Observe("final_layer_norm", output);
        observer?.Observe("last_hidden_state", output);
        observer?.Observe($"hidden_states.{weights.Blocks.Length}", output);
        return output;
    }

    /// <summary>
    /// T5Block: h += o(attention(norm(h))) with unscaled scores plus the position bias; h += wo(gelu_new(wi_0(n)) ⊙ wi_1(n)),
    /// n = norm(h). T5LayerNorm is weight · (x · rsqrt(mean(x²) + eps)): RmsNormModulate without modulation.
    /// </summary>
    void Block(int index, T5BlockWeights w, T5Activations a, Tensor x, RelativePositionBias bias, Tensor? keyMask, IActivationObserver? observer)
    {
        int batch = x.Dim(0), tokens = x.Dim(1), d = Config.DModel, inner = Config.InnerDim, ff = Config.DFf;
        string prefix = $"block{index}";
        var norm = a.Norm.View(batch, tokens, d);
        var (q, k, v) = (a.Q.View(batch, tokens, inner), a.K.View(batch, tokens, inner), a.V.View(batch, tokens, inner));
        var attention = a.Attention.View(batch, tokens, inner);
        var projected = a.Projected.View(batch, tokens, d);

        backend.RmsNormModulate(x, w.AttentionLayerNorm, null, norm, Config.LayerNormEpsilon);
        observer?.Observe(prefix + ".attn_norm", norm);
        backend.Linear(norm, w.Q, q);
        backend.Linear(norm, w.K, k);
        backend.Linear(norm, w.V, v);
        backend.Attention(new AttentionArgs
        {
            Query1 = q, Key1 = k, Value1 = v, Output1 = attention,
            Heads = Config.NumHeads, HeadDim = Config.DKv, Scale = 1f,   // T5 does not scale its scores
            PositionBias = bias, KeyMask = keyMask,
        });
        backend.Linear(attention, w.O, projected);
        observer?.Observe(prefix + ".attn_out", projected);
        backend.Add(x, projected, x);

        backend.RmsNormModulate(x, w.FeedForwardLayerNorm, null, norm, Config.LayerNormEpsilon);
        observer?.Observe(prefix + ".ff_norm", norm);
        var gate = a.Gate.View(batch, tokens, ff);
        var linear = a.Linear.View(batch, tokens, ff);
        if (observer != null)
        {
            // gelu_new is fused into wi_0's epilogue; for the record, wi_0's own output is computed once more.
            backend.Linear(norm, w.Wi0, gate);
            observer.Observe(prefix + ".ff_wi_0", gate);
        }
        backend.Linear(norm, w.Wi0, gate, Activation.GeluTanh);
        backend.Linear(norm, w.Wi1, linear);
        observer?.Observe(prefix + ".ff_wi_1", linear);
        backend.Multiply(gate, linear, gate);
        backend.Linear(gate, w.Wo, projected);
        observer?.Observe(prefix + ".ff_out", projected);
        backend.Add(x, projected, x);
        observer?.Observe(prefix + ".out", x);
    }

    T5Activations PlanArena(int batch, int tokens)
    {
        if (arena == null || !arena.Fits(batch, tokens))
            arena = new T5Activations(backend, Math.Max(batch, arena?.Batch ?? 0), Math.Max(tokens, arena?.Tokens ?? 0),
                Config.DModel, Config.InnerDim, Config.DFf);
        return arena;
    }
}
