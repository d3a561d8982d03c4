using RasNative.Sampler.Generation;

namespace RasNative.Sampler.Text;

/// <summary>
/// encode_prompt's results in its names: prompt_embeds [B, L, D], pooled_prompt_embeds [B, P] and, under guidance, the
/// negative twins; B = prompts × images per prompt, rows in diffusers' order (p0, p0, p1, p1, …).
/// </summary>
public sealed record Sd3PromptEmbeddings(
    float[] PromptEmbeds, float[] PooledPromptEmbeds, float[]? NegativePromptEmbeds, float[]? NegativePooledPromptEmbeds,
    int Batch, int Tokens, int Width, int PooledWidth)
{
    /// <summary>Row <paramref name="index"/> (one image) as the sampler's conditioning.</summary>
    public TextConditioning Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Batch);
        int prompt = Tokens * Width;
        float[] Slice(float[] values, int width) => values[(index * width)..((index + 1) * width)];
        return new TextConditioning(Slice(PromptEmbeds, prompt), Slice(PooledPromptEmbeds, PooledWidth),
            NegativePromptEmbeds == null ? null : Slice(NegativePromptEmbeds, prompt),
            NegativePooledPromptEmbeds == null ? null : Slice(NegativePooledPromptEmbeds, PooledWidth),
            Tokens, Width, PooledWidth);
    }
}
