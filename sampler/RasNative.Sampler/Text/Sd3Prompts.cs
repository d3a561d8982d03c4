namespace RasNative.Sampler.Text;

/// <summary>
/// StableDiffusion3Pipeline's prompt arguments, one entry per prompt of the batch: prompt for CLIP-L, prompt_2 for
/// CLIP-G, prompt_3 for T5, and their negative twins. A missing list (null or empty, Python's falsy) falls back as
/// encode_prompt does: prompt_2 and prompt_3 to prompt; negative_prompt to "" (one per prompt), negative_prompt_2 and
/// negative_prompt_3 to negative_prompt.
/// </summary>
public sealed record Sd3Prompts
{
    public required IReadOnlyList<string> Prompt { get; init; }
    public IReadOnlyList<string>? Prompt2 { get; init; }
    public IReadOnlyList<string>? Prompt3 { get; init; }
    public IReadOnlyList<string>? NegativePrompt { get; init; }
    public IReadOnlyList<string>? NegativePrompt2 { get; init; }
    public IReadOnlyList<string>? NegativePrompt3 { get; init; }

    public int Count => Prompt.Count;

    /// <summary>One prompt from single strings, where an empty string counts as missing (Python's <c>"" or prompt</c>).</summary>
    public static Sd3Prompts Single(string prompt, string? prompt2 = null, string? prompt3 = null,
        string? negativePrompt = null, string? negativePrompt2 = null, string? negativePrompt3 = null) => new()
    {
        Prompt = [prompt],
        Prompt2 = Given(prompt2),
        Prompt3 = Given(prompt3),
        NegativePrompt = Given(negativePrompt),
        NegativePrompt2 = Given(negativePrompt2),
        NegativePrompt3 = Given(negativePrompt3),
    };

    /// <summary>The texts CLIP-L, CLIP-G and T5 receive for the prompt (rule 1).</summary>
    public PromptTexts Positive => Checked(new PromptTexts(Prompt, Or(Prompt2, Prompt), Or(Prompt3, Prompt)));

    /// <summary>The texts for the negative side (rule 10): negative_prompt or "" for every prompt, then its fallbacks.</summary>
    public PromptTexts Negative
    {
        get
        {
            var negative = Or(NegativePrompt, [.. Enumerable.Repeat("", Count)]);
            return Checked(new PromptTexts(negative, Or(NegativePrompt2, negative), Or(NegativePrompt3, negative)));
        }
    }

    PromptTexts Checked(PromptTexts texts)
    {
        foreach (var list in new[] { texts.ClipL, texts.ClipG, texts.T5 })
            if (list.Count != Count)
                throw new ArgumentException($"{list.Count} prompts where the batch has {Count}; give one per prompt");
        return texts;
    }

    static IReadOnlyList<string>? Given(string? text) => string.IsNullOrEmpty(text) ? null : [text];

    static IReadOnlyList<string> Or(IReadOnlyList<string>? value, IReadOnlyList<string> fallback) => value is { Count: > 0 } ? value : fallback;
}

/// <summary>The prompt texts of one side, per encoder, one entry per prompt.</summary>
public sealed record PromptTexts(IReadOnlyList<string> ClipL, IReadOnlyList<string> ClipG, IReadOnlyList<string> T5);
