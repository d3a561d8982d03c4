namespace RasNative.Sampler.Text;

/// <summary>
/// encode_prompt's tensor assembly on the host, rules 4 and 6–9 of the text-encoders fixture README: the two CLIP
/// hidden states side by side on the channel axis, zero-padded at the end of that axis to the T5 width, CLIP tokens
/// before the T5 tokens; pooled = both CLIP text_embeds side by side; each prompt's rows repeated per image.
/// </summary>
public static class PromptAssembly
{
    /// <summary>
    /// [B, clipTokens + t5Tokens, width] from CLIP-L [B, clipTokens, widthL], CLIP-G [B, clipTokens, widthG] and T5
    /// [B, t5Tokens, width] (null: zeros, as diffusers without text_encoder_3).
    /// </summary>
    public static float[] PromptEmbeds(int batch, int clipTokens, float[] clipL, int widthL, float[] clipG, int widthG,
        float[]? t5, int t5Tokens, int width)
    {
        if (widthL + widthG > width)
            throw new ArgumentException($"the CLIP widths {widthL} + {widthG} exceed the T5 width {width}; nothing can pad them to it");
        Require(clipL, (long)batch * clipTokens * widthL, "CLIP-L hidden state");
        Require(clipG, (long)batch * clipTokens * widthG, "CLIP-G hidden state");
        if (t5 != null) Require(t5, (long)batch * t5Tokens * width, "T5 hidden state");
        int tokens = clipTokens + t5Tokens;
        var result = new float[(long)batch * tokens * width];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < clipTokens; i++)
            {
                var row = result.AsSpan(((b * tokens) + i) * width, width);
                clipL.AsSpan((b * clipTokens + i) * widthL, widthL).CopyTo(row);
                clipG.AsSpan((b * clipTokens + i) * widthG, widthG).CopyTo(row[widthL..]);
            }
            t5?.AsSpan(b * t5Tokens * width, t5Tokens * width).CopyTo(result.AsSpan((b * tokens + clipTokens) * width));
        }
        return result;
    }

    /// <summary>[B, pooledL + pooledG]: each prompt's CLIP-L text_embeds, then its CLIP-G ones.</summary>
    public static float[] Pooled(int batch, float[] pooledL, int widthL, float[] pooledG, int widthG)
    {
        Require(pooledL, (long)batch * widthL, "CLIP-L text_embeds");
        Require(pooledG, (long)batch * widthG, "CLIP-G text_embeds");
        var result = new float[batch * (widthL + widthG)];
        for (int b = 0; b < batch; b++)
        {
            pooledL.AsSpan(b * widthL, widthL).CopyTo(result.AsSpan(b * (widthL + widthG)));
            pooledG.AsSpan(b * widthG, widthG).CopyTo(result.AsSpan(b * (widthL + widthG) + widthL));
        }
        return result;
    }

    /// <summary>num_images_per_prompt: each of the <paramref name="batch"/> rows repeated <paramref name="times"/> times in a row (p0, p0, p1, p1, …).</summary>
    public static float[] RepeatRows(float[] values, int batch, int times)
    {
        if (times == 1) return values;
        int row = values.Length / batch;
        var result = new float[(long)values.Length * times];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < times; t++)
                values.AsSpan(b * row, row).CopyTo(result.AsSpan((b * times + t) * row));
        return result;
    }

    static void Require(float[] values, long length, string what)
    {
        if (values.Length != length) throw new ArgumentException($"{what}: {values.Length} values, expected {length}");
    }
}
