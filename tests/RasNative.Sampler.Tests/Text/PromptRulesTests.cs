using RasNative.Sampler.Text;
using Xunit;

namespace RasNative.Sampler.Tests.Text;

/// <summary>encode_prompt's fallbacks and assembly rules (text-encoders README, rules 1, 4, 6–10) on hand-made values.</summary>
public class PromptRulesTests
{
    [Fact]
    public void MissingAndEmptyPromptsFallBackAsInDiffusers()
    {
        var prompts = Sd3Prompts.Single("cat", prompt2: "", prompt3: "dog", negativePrompt: null, negativePrompt2: "fog");
        Assert.Equal("cat / cat / dog", Lists(prompts.Positive));
        Assert.Equal(" / fog / ", Lists(prompts.Negative));
        var negative = Sd3Prompts.Single("cat", negativePrompt: "blurry", negativePrompt3: "");
        Assert.Equal("blurry / blurry / blurry", Lists(negative.Negative));
    }

    [Fact]
    public void TheNegativeDefaultIsOneEmptyStringPerPrompt()
    {
        var prompts = new Sd3Prompts { Prompt = ["a", "b", "c"] };
        Assert.Equal(",, / ,, / ,,", Lists(prompts.Negative));
        Assert.Throws<ArgumentException>(() => (prompts with { NegativePrompt2 = ["x"] }).Negative);
    }

    [Fact]
    public void ClipRowsComeFirstZeroPaddedThenT5Rows()
    {
        // batch 1, 2 CLIP tokens of widths 1 + 2, 1 T5 token of width 4.
        var embeds = PromptAssembly.PromptEmbeds(1, 2, [1, 2], 1, [3, 4, 5, 6], 2, [7, 8, 9, 10], 1, 4);
        Assert.Equal([1, 3, 4, 0, 2, 5, 6, 0, 7, 8, 9, 10], embeds);
        var zeros = PromptAssembly.PromptEmbeds(1, 2, [1, 2], 1, [3, 4, 5, 6], 2, null, 2, 4);
        Assert.Equal([1, 3, 4, 0, 2, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0], zeros);
        Assert.Equal([1, 2, 3, 4, 5, 6], PromptAssembly.Pooled(2, [1, 4], 1, [2, 3, 5, 6], 2));
    }

    [Fact]
    public void ImagesPerPromptRepeatEachPromptInARow() =>
        Assert.Equal([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], PromptAssembly.RepeatRows([1, 2, 3, 4], 2, 3));

    /// <summary>"L / G / T5" with each list's entries joined by commas.</summary>
    static string Lists(PromptTexts texts) => string.Join(" / ", new[] { texts.ClipL, texts.ClipG, texts.T5 }.Select(list => string.Join(",", list)));
}
