namespace RasNative.Sampler.Text;

/// <summary>
/// Every id encode_prompt feeds the encoders: the prompt side and, under classifier-free guidance, the negative side;
/// the CLIP length (77) and the T5 length (max_sequence_length; without T5 the zero block has the CLIP length, as in
/// diffusers); and the truncations to warn about.
/// </summary>
public sealed record Sd3TokenIds(SideTokens Positive, SideTokens? Negative, int ClipTokens, int T5Tokens, IReadOnlyList<TruncationNotice> Notices)
{
    /// <summary>Prompts in the batch (before num_images_per_prompt).</summary>
    public int Prompts => Positive.ClipL.Length;

    public bool HasT5 => Positive.T5 != null;

    /// <summary>Tokenizes <paramref name="prompts"/> as encode_prompt does; the negative side only with <paramref name="guidance"/>.</summary>
    public static Sd3TokenIds Tokenize(Sd3Tokenizers tokenizers, Sd3Prompts prompts, int maxSequenceLength, bool guidance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequenceLength, 1);
        var notices = new List<TruncationNotice>();
        var positive = tokenizers.Tokenize(prompts.Positive, maxSequenceLength, "prompt", notices);
        var negative = guidance ? tokenizers.Tokenize(prompts.Negative, maxSequenceLength, "negative prompt", notices) : null;
        return new Sd3TokenIds(positive, negative, tokenizers.ClipLength, positive.T5 != null ? maxSequenceLength : tokenizers.ClipLength, notices);
    }
}
