namespace RasNative.Sampler.Generation;

/// <summary>
/// Lumina-Next's text conditioning in the pipeline's argument names: prompt_embeds [1, L, D] with
/// prompt_attention_mask [1, L] (1 = token, 0 = padding, as floats), and the negative pair when classifier-free
/// guidance is used (row 1 of the model batch: Lumina's order is [prompt ; negative], the reverse of SD3).
/// </summary>
public sealed record LuminaConditioning(
    float[] PromptEmbeds, float[] PromptAttentionMask,
    float[]? NegativePromptEmbeds, float[]? NegativePromptAttentionMask,
    int TextLength, int TextWidth)
{
    public bool HasNegative => NegativePromptEmbeds != null && NegativePromptAttentionMask != null;
}
