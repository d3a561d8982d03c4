namespace RasNative.Tokenizers;

/// <summary>
/// transformers' prepare_for_model for one sequence with truncation=True (right side) and padding="max_length":
/// the content is cut so that content + special tokens fit, then the special tokens are added, then padding.
/// </summary>
static class TokenSequence
{
    /// <param name="content">Ids of the text, special tokens written in the text included.</param>
    /// <param name="specialTokenCount">How many ids <paramref name="addSpecialTokens"/> adds to an empty sequence
    /// (transformers' num_special_tokens_to_add).</param>
    /// <param name="addSpecialTokens">build_inputs_with_special_tokens.</param>
    public static (int[] Ids, int[] Untruncated, bool Truncated) Build(
        IReadOnlyList<int> content, int maxLength, int padId, int specialTokenCount, Func<IReadOnlyList<int>, int[]> addSpecialTokens)
    {
        if (maxLength < specialTokenCount)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"must leave room for the {specialTokenCount} special token(s)");
        var untruncated = addSpecialTokens(content);
        int keep = Math.Min(content.Count, maxLength - specialTokenCount);
        var kept = keep == content.Count ? untruncated : addSpecialTokens(content.Take(keep).ToArray());
        var ids = new int[maxLength];
        kept.CopyTo(ids, 0);
        ids.AsSpan(kept.Length).Fill(padId);
        bool truncated = untruncated.Length >= maxLength && !untruncated.AsSpan().SequenceEqual(ids);
        return (ids, untruncated, truncated);
    }
}
