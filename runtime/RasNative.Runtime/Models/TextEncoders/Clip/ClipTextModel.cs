using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.Clip;

/// <summary>
/// transformers' CLIPTextModelWithProjection (SD3's CLIP-L and CLIP-G) as a flat sequence of backend ops over a
/// planned arena: token + position embeddings, pre-LN layers with causal self-attention (and an optional padding
/// mask), final LayerNorm, pooling at the EOS position by the config's rule, text projection.
/// </summary>
public sealed class ClipTextModel
{
    readonly IBackend backend;
    readonly ClipTextWeights weights;
    readonly IndexBuffer tokenIds, positionIds, poolRows;
    ClipTextActivations? arena;

    ClipTextModel(IBackend backend, ClipTextConfig config, ClipTextWeights weights, string name)
    {
        this.backend = backend;
        Config = config;
        this.weights = weights;
        Name = name;
        (tokenIds, positionIds, poolRows) = (new IndexBuffer(backend), new IndexBuffer(backend), new IndexBuffer(backend));
    }

    public ClipTextConfig Config { get; }

    /// <summary>For messages: the component's subfolder name (text_encoder, text_encoder_2) or the source.</summary>
    public string Name { get; }

    /// <summary>Backend memory the parameters hold (Linear weights and the token table in their stored width).</summary>
    public long WeightBytes { get; private init; }

    /// <summary>Width of text_embeds: projection_dim, or hidden_size when the projection is the identity.</summary>
    public int EmbedWidth => weights.TextProjection?.OutFeatures ?? Config.HiddenSize;

    /// <summary>Number of hidden_states entries minus one: the embeddings are entry 0, layer i's output entry i + 1.</summary>
    public int Layers => Config.NumHiddenLayers;

    /// <summary>A CLIP component of a <see cref="ModelSource"/>, whatever layout it was stored in.</summary>
    public static ClipTextModel Load(ModelComponent component, IBackend backend)
    {
        var config = ClipTextConfig.FromJson(component.Config, component.ConfigSource);
        using var weights = component.OpenWeights();
        return Load(new CheckpointWeights(weights), config, backend, projection: !component.TextProjectionIsIdentity, component.Kind.SubfolderName());
    }

    /// <param name="projection">false where the checkpoint has no text_projection and text_embeds is the pooled output itself.</param>
    public static ClipTextModel Load(IWeightSource weights, ClipTextConfig config, IBackend backend, bool projection = true, string name = "text_encoder")
    {
        var binder = new WeightBinder(weights, backend);
        return new ClipTextModel(backend, config, ClipTextWeights.Bind(binder, config, projection), name) { WeightBytes = binder.BytesHeld };
    }

    /// <summary>Parameters of a CLIPTextModelWithProjection of <paramref name="config"/> (memory checks before random weights are generated).</summary>
    public static long ParameterCount(ClipTextConfig config)
    {
        long d = config.HiddenSize, i = config.IntermediateSize;
        long layer = 4 * (d * d + d) + 4 * d + (d * i + i) + (i * d + d);
        return (config.VocabSize + config.MaxPositionEmbeddings) * d + config.NumHiddenLayers * layer + 2 * d + config.ProjectionDim * d;
    }

    /// <summary>
    /// Elements of the activation buffers a forward of <paramref name="batch"/> × <paramref name="tokens"/> allocates,
    /// sized by the code that allocates them.
    /// </summary>
    public static long ActivationElements(ClipTextConfig config, int batch, int tokens)
    {
        var plan = new MemoryPlan();
        _ = new ClipTextActivations(plan, batch, tokens, config.HiddenSize, config.IntermediateSize, config.ProjectionDim);
        return plan.Elements;
    }

    /// <summary>
    /// Encodes <paramref name="ids"/>; returns hidden_states[<paramref name="hiddenState"/>] [B, L, D] (0 = the embeddings,
    /// i = layer i's output, without the final LayerNorm) and text_embeds [B, P], views into the arena valid until the
    /// next forward. <paramref name="attentionMask"/> (optional, 0/1 per token) adds transformers' padding mask to the
    /// causal one; SD3 passes none.
    /// </summary>
    public ClipTextOutput Forward(TokenBatch ids, int hiddenState, ReadOnlySpan<int> attentionMask = default, IActivationObserver? observer = null)
    {
        ids.Validate(Name, Config.VocabSize, Config.MaxPositionEmbeddings);
        if (hiddenState < 0 || hiddenState > Layers)
            throw new ModelInputException($"{Name}: hidden state {hiddenState} does not exist (0 … {Layers})");
        var mask = ids.MaskValues(attentionMask, Name);
        int batch = ids.Batch, tokens = ids.Tokens, d = Config.HiddenSize;
        var a = PlanArena(batch, tokens);
        var x = a.X.View(batch, tokens, d);
        var selected = a.Selected.View(batch, tokens, d);
        var keyMask = mask == null ? null : a.Mask.View(batch, tokens);
        if (keyMask != null) backend.Write(mask, keyMask);

        backend.Embedding(weights.TokenEmbedding, tokenIds.Write(ids.Ids), x);
        observer?.Observe("token_embedding", x);
        backend.AddRows(x, weights.PositionEmbedding, positionIds.Write([.. Enumerable.Range(0, tokens)]));
        observer?.Observe("embeddings", x);
        Record(0, x, hiddenState, selected, observer);

        for (int i = 0; i < weights.Layers.Length; i++)
        {
            using var range = backend.Range($"text_model.encoder.layers.{i}");
            Layer(i, weights.Layers[i], a, x, keyMask, observer);
            Record(i + 1, x, hiddenState, selected, observer);
        }

        var last = a.Norm.View(batch, tokens, d);
        backend.LayerNorm(x, weights.FinalLayerNorm.Weight, weights.FinalLayerNorm.Bias, last, Config.LayerNormEps);
        observer?.Observe("final_layer_norm", last);
        observer?.Observe("last_hidden_state", last);

        var pooled = a.Pooled.View(batch, d);
        backend.GatherRows(last.View(1, batch * tokens, d), poolRows.Write(PoolRows(ids)), pooled.View(1, batch, d));
        observer?.Observe("pooled_output", pooled);
        var textEmbeds = a.TextEmbeds.View(batch, EmbedWidth);
        if (weights.TextProjection is { } projection) backend.Linear(pooled, projection, textEmbeds);
        else backend.Copy(pooled, textEmbeds);
        observer?.Observe("text_embeds", textEmbeds);
        return new ClipTextOutput(selected, textEmbeds);
    }

    /// <summary>CLIPEncoderLayer: h += out_proj(attention(layer_norm1(h))); h += fc2(act(fc1(layer_norm2(h)))).</summary>
    void Layer(int index, ClipLayerWeights w, ClipTextActivations a, Tensor x, Tensor? keyMask, IActivationObserver? observer)
    {
        int batch = x.Dim(0), tokens = x.Dim(1), d = Config.HiddenSize;
        string prefix = $"layer{index}";
        var norm = a.Norm.View(batch, tokens, d);
        var (q, k, v) = (a.Q.View(batch, tokens, d), a.K.View(batch, tokens, d), a.V.View(batch, tokens, d));
        var attention = a.Attention.View(batch, tokens, d);
        var projected = a.Projected.View(batch, tokens, d);

        backend.LayerNorm(x, w.LayerNorm1.Weight, w.LayerNorm1.Bias, norm, Config.LayerNormEps);
        observer?.Observe(prefix + ".layer_norm1", norm);
        backend.Linear(norm, w.QProj, q);
        backend.Linear(norm, w.KProj, k);
        backend.Linear(norm, w.VProj, v);
        // transformers scales q after its bias (q_proj(x)·head_dim^-0.5), as the attention's Scale does.
        backend.Attention(new AttentionArgs
        {
            Query1 = q, Key1 = k, Value1 = v, Output1 = attention,
            Heads = Config.NumAttentionHeads, HeadDim = Config.HeadDim, Scale = 1f / MathF.Sqrt(Config.HeadDim),
            Causal = true, KeyMask = keyMask,
        });
        backend.Linear(attention, w.OutProj, projected);
        observer?.Observe(prefix + ".self_attn", projected);
        backend.Add(x, projected, x);

        backend.LayerNorm(x, w.LayerNorm2.Weight, w.LayerNorm2.Bias, norm, Config.LayerNormEps);
        observer?.Observe(prefix + ".layer_norm2", norm);
        var hidden = a.Hidden.View(batch, tokens, Config.IntermediateSize);
        if (observer != null)
        {
            // The activation is fused into fc1's epilogue; for the record, fc1's own output is computed once more.
            backend.Linear(norm, w.Fc1, hidden);
            observer.Observe(prefix + ".mlp.fc1", hidden);
        }
        backend.Linear(norm, w.Fc1, hidden, HiddenActivation);
        backend.Linear(hidden, w.Fc2, projected);
        observer?.Observe(prefix + ".mlp", projected);
        backend.Add(x, projected, x);
        observer?.Observe(prefix + ".out", x);
    }

    Activation HiddenActivation => Config.HiddenAct switch
    {
        "quick_gelu" => Activation.QuickGelu,
        "gelu" => Activation.Gelu,
        _ => Activation.GeluTanh,
    };

    /// <summary>hidden_states[i] goes to the observer and, when it is the one asked for, into the output buffer.</summary>
    void Record(int index, Tensor x, int wanted, Tensor selected, IActivationObserver? observer)
    {
        observer?.Observe($"hidden_states.{index}", x);
        if (index == wanted) backend.Copy(x, selected);
    }

    /// <summary>Row b·L + eos_index[b] of the flattened last hidden state, by transformers' rule (see <see cref="ClipTextConfig.PoolsAtLargestId"/>).</summary>
    int[] PoolRows(TokenBatch ids)
    {
        var rows = new int[ids.Batch];
        for (int b = 0; b < ids.Batch; b++)
            rows[b] = b * ids.Tokens + EosIndex(ids.Ids.AsSpan(b * ids.Tokens, ids.Tokens));
        return rows;
    }

    /// <summary>argmax of the ids (first occurrence) for legacy configs, else the first eos_token_id (0 when absent, as torch's argmax of zeros).</summary>
    public int EosIndex(ReadOnlySpan<int> row)
    {
        if (Config.PoolsAtLargestId)
        {
            int best = 0;
            for (int i = 1; i < row.Length; i++)
                if (row[i] > row[best]) best = i;
            return best;
        }
        int first = row.IndexOf(Config.EosTokenId);
        return first < 0 ? 0 : first;
    }

    ClipTextActivations PlanArena(int batch, int tokens)
    {
        if (arena == null || !arena.Fits(batch, tokens))
            arena = new ClipTextActivations(backend, Math.Max(batch, arena?.Batch ?? 0), Math.Max(tokens, arena?.Tokens ?? 0),
                Config.HiddenSize, Config.IntermediateSize, EmbedWidth);
        return arena;
    }
}

/// <summary>A CLIP forward's results on the backend: the selected hidden state [B, L, D] and text_embeds [B, P].</summary>
public sealed record ClipTextOutput(Tensor HiddenState, Tensor TextEmbeds);
