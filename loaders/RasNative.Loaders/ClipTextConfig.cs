using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>transformers' CLIPTextConfig (config.json of SD3's text_encoder / text_encoder_2); defaults are the class defaults.</summary>
public sealed record ClipTextConfig
{
    public int VocabSize { get; init; } = 49408;
    public int HiddenSize { get; init; } = 512;
    public int IntermediateSize { get; init; } = 2048;
    public int ProjectionDim { get; init; } = 512;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 8;
    public int MaxPositionEmbeddings { get; init; } = 77;

    /// <summary>"quick_gelu" (CLIP-L), "gelu" (exact, CLIP-G) or "gelu_new" (tanh approximation).</summary>
    public string HiddenAct { get; init; } = "quick_gelu";

    public float LayerNormEps { get; init; } = 1e-5f;
    public int EosTokenId { get; init; } = 49407;

    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>
    /// transformers' pooling rule: legacy configs say eos_token_id 2 and pool at the largest id (argmax, the first
    /// occurrence: &lt;|endoftext|&gt; is the largest id of the real vocabulary); newer ones pool at the first eos_token_id.
    /// </summary>
    public bool PoolsAtLargestId => EosTokenId == 2;

    public static readonly string[] Activations = ["quick_gelu", "gelu", "gelu_new"];

    /// <param name="source">Named in error messages (normally the config.json path).</param>
    public static ClipTextConfig FromJson(JsonElement json, string source = "config.json")
    {
        var config = new ConfigReader(json, source);
        var defaults = new ClipTextConfig();
        return new ClipTextConfig
        {
            VocabSize = config.Int("vocab_size", defaults.VocabSize, 1, MaxVocabulary),
            HiddenSize = config.Int("hidden_size", defaults.HiddenSize, 1, MaxWidth),
            IntermediateSize = config.Int("intermediate_size", defaults.IntermediateSize, 1, MaxWidth),
            ProjectionDim = config.Int("projection_dim", defaults.ProjectionDim, 1, MaxWidth),
            NumHiddenLayers = config.Int("num_hidden_layers", defaults.NumHiddenLayers, 1, MaxLayers),
            NumAttentionHeads = config.Int("num_attention_heads", defaults.NumAttentionHeads, 1, MaxWidth),
            MaxPositionEmbeddings = config.Int("max_position_embeddings", defaults.MaxPositionEmbeddings, 2, MaxPositions),
            HiddenAct = config.NullableString("hidden_act") ?? defaults.HiddenAct,
            LayerNormEps = (float)config.Double("layer_norm_eps", defaults.LayerNormEps, 1e-30, 1),
            EosTokenId = config.Int("eos_token_id", defaults.EosTokenId, 0, MaxVocabulary),
        }.Validated(source);
    }

    // Bounds far above every released model that keep every size the model derives inside int arithmetic.
    const int MaxVocabulary = 1 << 22, MaxWidth = 65536, MaxLayers = 1024, MaxPositions = 65536;

    /// <summary>Checks what single keys cannot (head split, activation name); errors name the key.</summary>
    public ClipTextConfig Validated(string source)
    {
        void Require(bool condition, string key, string message)
        {
            if (!condition) throw new ModelFolderException($"{source}: key '{key}' {message}");
        }
        Require(HiddenSize % NumAttentionHeads == 0, "num_attention_heads", $"{NumAttentionHeads} does not divide hidden_size {HiddenSize}");
        Require(Activations.Contains(HiddenAct), "hidden_act", $"'{HiddenAct}' is not supported (expected one of {string.Join(", ", Activations)})");
        Require((long)VocabSize * HiddenSize <= int.MaxValue, "vocab_size", $"{VocabSize} × hidden_size {HiddenSize} exceeds {int.MaxValue} values");
        return this;
    }
}
