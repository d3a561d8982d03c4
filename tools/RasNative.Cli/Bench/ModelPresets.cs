using RasNative.Loaders;

namespace RasNative.Cli.Bench;

/// <summary>
/// Published transformer configs (diffusers' config.json values) for `bench --model random:NAME`, so speed can
/// be measured with random weights and no checkpoint.
/// </summary>
public static class ModelPresets
{
    public const string Prefix = "random:";

    static readonly Dictionary<string, Sd3TransformerConfig> Sd3Presets = new()
    {
        ["sd3-medium"] = new() { SampleSize = 128, InChannels = 16, OutChannels = 16, NumLayers = 24, AttentionHeadDim = 64, NumAttentionHeads = 24,
            JointAttentionDim = 4096, CaptionProjectionDim = 1536, PooledProjectionDim = 2048, PosEmbedMaxSize = 192 },
        ["sd35-medium"] = new() { SampleSize = 128, InChannels = 16, OutChannels = 16, NumLayers = 24, AttentionHeadDim = 64, NumAttentionHeads = 24,
            JointAttentionDim = 4096, CaptionProjectionDim = 1536, PooledProjectionDim = 2048, PosEmbedMaxSize = 384,
            QkNorm = "rms_norm", DualAttentionLayers = [.. Enumerable.Range(0, 13)] },
        ["sd35-large"] = new() { SampleSize = 128, InChannels = 16, OutChannels = 16, NumLayers = 38, AttentionHeadDim = 64, NumAttentionHeads = 38,
            JointAttentionDim = 4096, CaptionProjectionDim = 2432, PooledProjectionDim = 2048, PosEmbedMaxSize = 192, QkNorm = "rms_norm" },
        // The shape the CPU speed target is stated for: 4 blocks of 6 heads × 64, a 64×64 latent (512 px).
        ["sd3-bench"] = new() { SampleSize = 64, InChannels = 16, OutChannels = 16, NumLayers = 4, AttentionHeadDim = 64, NumAttentionHeads = 6,
            JointAttentionDim = 512, CaptionProjectionDim = 384, PooledProjectionDim = 256, PosEmbedMaxSize = 64 },
        ["sd3-tiny"] = new() { SampleSize = 16, InChannels = 4, OutChannels = 4, NumLayers = 3, AttentionHeadDim = 8, NumAttentionHeads = 4,
            JointAttentionDim = 32, CaptionProjectionDim = 32, PooledProjectionDim = 64, PosEmbedMaxSize = 32 },
    };

    static readonly Dictionary<string, LuminaNextConfig> LuminaPresets = new()
    {
        // Lumina-Next-T2I (Alpha-VLLM/Lumina-Next-SFT-diffusers): 24 layers, 32 heads, 8 KV heads, Gemma-2B captions.
        ["lumina-next"] = new() { SampleSize = 128, InChannels = 4, HiddenSize = 2304, NumLayers = 24, NumAttentionHeads = 32, NumKvHeads = 8,
            MultipleOf = 256, CrossAttentionDim = 2048 },
        ["lumina-next-tiny"] = new() { SampleSize = 16, InChannels = 4, HiddenSize = 32, NumLayers = 2, NumAttentionHeads = 4, NumKvHeads = 2,
            MultipleOf = 16, CrossAttentionDim = 24 },
    };

    static readonly Dictionary<string, AutoencoderKlConfig> VaePresets = new()
    {
        // SD3 / SD3.5's VAE (stabilityai/stable-diffusion-3-medium-diffusers vae/config.json): 16 latent channels, ×8.
        ["sd3-vae"] = new() { LatentChannels = 16, BlockOutChannels = [128, 256, 512, 512], LayersPerBlock = 2, NormNumGroups = 32,
            ScalingFactor = 1.5305, ShiftFactor = 0.0609, UseQuantConv = false, UsePostQuantConv = false },
        // SDXL's VAE (Lumina-Next's): 4 latent channels with the quant convs, no shift.
        ["sdxl-vae"] = new() { LatentChannels = 4, BlockOutChannels = [128, 256, 512, 512], LayersPerBlock = 2, NormNumGroups = 32, ScalingFactor = 0.13025 },
    };

    /// <summary>SD3's text encoders as released (stable-diffusion-3-medium-diffusers' text_encoder / _2 configs; eos_token_id 2
    /// selects transformers' legacy argmax pooling, as those configs do).</summary>
    static readonly Dictionary<string, ClipTextConfig> ClipPresets = new()
    {
        ["clip-l"] = new() { VocabSize = 49408, HiddenSize = 768, IntermediateSize = 3072, ProjectionDim = 768, NumHiddenLayers = 12,
            NumAttentionHeads = 12, MaxPositionEmbeddings = 77, HiddenAct = "quick_gelu", EosTokenId = 2 },
        ["clip-g"] = new() { VocabSize = 49408, HiddenSize = 1280, IntermediateSize = 5120, ProjectionDim = 1280, NumHiddenLayers = 32,
            NumAttentionHeads = 20, MaxPositionEmbeddings = 77, HiddenAct = "gelu", EosTokenId = 2 },
    };

    /// <summary>T5 v1.1 XXL's encoder (SD3's text_encoder_3).</summary>
    static readonly Dictionary<string, T5EncoderConfig> T5Presets = new()
    {
        ["t5-xxl"] = new() { VocabSize = 32128, DModel = 4096, DKv = 64, DFf = 10240, NumLayers = 24, NumHeads = 64,
            RelativeAttentionNumBuckets = 32, RelativeAttentionMaxDistance = 128, FeedForwardProj = "gated-gelu" },
    };

    public static IEnumerable<string> Names => Sd3Presets.Keys.Concat(LuminaPresets.Keys).Concat(ClipPresets.Keys).Concat(T5Presets.Keys).Concat(VaePresets.Keys);

    public static bool IsPreset(string model) => model.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The preset's config: an <see cref="Sd3TransformerConfig"/>, <see cref="LuminaNextConfig"/>, <see cref="ClipTextConfig"/>, <see cref="T5EncoderConfig"/> or <see cref="AutoencoderKlConfig"/>.</summary>
    public static object Get(string model)
    {
        string name = model[Prefix.Length..];
        if (Sd3Presets.TryGetValue(name, out var sd3)) return sd3;
        if (LuminaPresets.TryGetValue(name, out var lumina)) return lumina;
        if (VaePresets.TryGetValue(name, out var vae)) return vae;
        if (ClipPresets.TryGetValue(name, out var clip)) return clip;
        if (T5Presets.TryGetValue(name, out var t5)) return t5;
        throw new Infrastructure.UsageException($"--model {model}: unknown preset (known: {string.Join(", ", Names.Select(k => Prefix + k))})");
    }

    public static string ToConfigJson(LuminaNextConfig c) => Serialize(new Dictionary<string, object?>
    {
        ["_class_name"] = "LuminaNextDiT2DModel",
        ["sample_size"] = c.SampleSize, ["patch_size"] = c.PatchSize, ["in_channels"] = c.InChannels, ["hidden_size"] = c.HiddenSize,
        ["num_layers"] = c.NumLayers, ["num_attention_heads"] = c.NumAttentionHeads, ["num_kv_heads"] = c.NumKvHeads,
        ["multiple_of"] = c.MultipleOf, ["ffn_dim_multiplier"] = c.FfnDimMultiplier, ["norm_eps"] = c.NormEps,
        ["learn_sigma"] = c.LearnSigma, ["qk_norm"] = c.QkNorm, ["cross_attention_dim"] = c.CrossAttentionDim, ["scaling_factor"] = c.ScalingFactor,
    });

    /// <summary>A random preset as a model folder: config.json + the weights file (diffusers' diffusion_pytorch_model.safetensors, transformers' model.safetensors).</summary>
    public static void SaveModel(string folder, string configJson, Runtime.Models.RandomWeights weights, string weightsFile = "diffusion_pytorch_model.safetensors")
    {
        SafetensorsWriter.Write(Path.Combine(folder, weightsFile),
            weights.Generated.Select(t => new TensorToWrite(t.Name, weights.Storage, [.. t.Shape.Select(d => (long)d)], t.Data)));
        Loaders.Files.AtomicFile.Write(Path.Combine(folder, "config.json"), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(configJson);
        });
    }

    static string Serialize(Dictionary<string, object?> config) =>
        System.Text.Json.JsonSerializer.Serialize(config, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    /// <summary>A CLIP preset's config as transformers writes it (the keys RasNative reads; transformers fills the rest with defaults).</summary>
    public static string ToConfigJson(ClipTextConfig c) => Serialize(new Dictionary<string, object?>
    {
        ["architectures"] = new[] { "CLIPTextModelWithProjection" }, ["model_type"] = "clip_text_model",
        ["vocab_size"] = c.VocabSize, ["hidden_size"] = c.HiddenSize, ["intermediate_size"] = c.IntermediateSize, ["projection_dim"] = c.ProjectionDim,
        ["num_hidden_layers"] = c.NumHiddenLayers, ["num_attention_heads"] = c.NumAttentionHeads, ["max_position_embeddings"] = c.MaxPositionEmbeddings,
        ["hidden_act"] = c.HiddenAct, ["layer_norm_eps"] = c.LayerNormEps, ["eos_token_id"] = c.EosTokenId,
    });

    /// <summary>A T5 preset's config as transformers writes it (the keys RasNative reads).</summary>
    public static string ToConfigJson(T5EncoderConfig c) => Serialize(new Dictionary<string, object?>
    {
        ["architectures"] = new[] { "T5EncoderModel" }, ["model_type"] = "t5",
        ["vocab_size"] = c.VocabSize, ["d_model"] = c.DModel, ["d_kv"] = c.DKv, ["d_ff"] = c.DFf, ["num_layers"] = c.NumLayers, ["num_heads"] = c.NumHeads,
        ["relative_attention_num_buckets"] = c.RelativeAttentionNumBuckets, ["relative_attention_max_distance"] = c.RelativeAttentionMaxDistance,
        ["layer_norm_epsilon"] = c.LayerNormEpsilon, ["feed_forward_proj"] = c.FeedForwardProj,
    });

    /// <summary>The config as diffusers writes it, so a saved preset loads in diffusers and in RasNative.</summary>
    public static string ToConfigJson(Sd3TransformerConfig c) =>
        c.ToJsonObject().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
