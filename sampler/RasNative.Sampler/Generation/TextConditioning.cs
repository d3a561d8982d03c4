namespace RasNative.Sampler.Generation;

/// <summary>
/// SD3's text conditioning in the pipeline's argument names: prompt_embeds [1, L, D] and pooled_prompt_embeds
/// [1, P], with the negative pair when classifier-free guidance is used (row 0 of the model batch, as diffusers).
/// </summary>
public sealed record TextConditioning(
    float[] PromptEmbeds, float[] PooledPromptEmbeds,
    float[]? NegativePromptEmbeds, float[]? NegativePooledPromptEmbeds,
    int TextLength, int TextWidth, int PooledWidth)
{
    public bool HasNegative => NegativePromptEmbeds != null && NegativePooledPromptEmbeds != null;
}
