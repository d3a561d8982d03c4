namespace RasNative.Loaders.SingleFile;

/// <summary>Which naming a key of a model section belongs to.</summary>
internal enum KeyKind
{
    /// <summary>Not a name of this component in any dialect.</summary>
    Foreign,
    /// <summary>The same in both dialects (context_embedder, conv_in, ...).</summary>
    Neutral,
    /// <summary>The original code's names: SAI MMDiT (joint_blocks, x_embedder, ...) or LDM VAE (down, up, mid, ...).</summary>
    Original,
    /// <summary>diffusers' names (transformer_blocks, pos_embed.proj, down_blocks, ...).</summary>
    Diffusers,
}

/// <summary>Classifies a key (after its section prefix) by its leading module names.</summary>
internal static class KeyKinds
{
    static readonly string[] SaiMmditStarts = ["joint_blocks.", "x_embedder.", "t_embedder.", "y_embedder.", "final_layer."];
    static readonly string[] DiffusersMmditStarts = ["transformer_blocks.", "pos_embed.", "time_text_embed.", "norm_out.", "proj_out."];
    static readonly string[] LdmVaeParts = ["down.", "up.", "mid.", "norm_out."];
    static readonly string[] DiffusersVaeParts = ["down_blocks.", "up_blocks.", "mid_block.", "conv_norm_out."];
    static readonly string[] NeutralVaeParts = ["conv_in.", "conv_out."];

    public static KeyKind Mmdit(string key) =>
        key == "pos_embed" || StartsWithAny(key, SaiMmditStarts) ? KeyKind.Original
        : StartsWithAny(key, DiffusersMmditStarts) ? KeyKind.Diffusers
        : key.StartsWith("context_embedder.", StringComparison.Ordinal) ? KeyKind.Neutral
        : KeyKind.Foreign;

    public static KeyKind Vae(string key)
    {
        if (key.StartsWith("quant_conv.", StringComparison.Ordinal) || key.StartsWith("post_quant_conv.", StringComparison.Ordinal))
            return KeyKind.Neutral;
        string rest = key.StartsWith("encoder.", StringComparison.Ordinal) ? key["encoder.".Length..]
            : key.StartsWith("decoder.", StringComparison.Ordinal) ? key["decoder.".Length..]
            : "";
        return StartsWithAny(rest, LdmVaeParts) ? KeyKind.Original
            : StartsWithAny(rest, DiffusersVaeParts) ? KeyKind.Diffusers
            : StartsWithAny(rest, NeutralVaeParts) ? KeyKind.Neutral
            : KeyKind.Foreign;
    }

    /// <summary>transformers' CLIPTextModel(WithProjection) / T5EncoderModel names (checked loosely: the model binds them).</summary>
    public static KeyKind TextEncoder(string key, bool t5) =>
        (t5 ? key == "shared.weight" || key.StartsWith("encoder.", StringComparison.Ordinal)
            : key.StartsWith("text_model.", StringComparison.Ordinal) || key == "text_projection.weight")
            ? KeyKind.Neutral
            : KeyKind.Foreign;

    static bool StartsWithAny(string key, string[] starts) => starts.Any(s => key.StartsWith(s, StringComparison.Ordinal));
}
