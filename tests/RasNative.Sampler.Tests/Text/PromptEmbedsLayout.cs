using Xunit;

namespace RasNative.Sampler.Tests.Text;

/// <summary>
/// The fixtures' assembled prompt_embeds [B, 77 + 16, 96]: CLIP channels 0…79 of tokens 0…76 (the CLIP encoders'
/// values), their channels 80…95 padding that must be exactly 0, then the 16 T5 tokens (the T5 encoder's values).
/// </summary>
public static class PromptEmbedsLayout
{
    const int Tokens = 93, Width = 96, ClipTokens = 77, ClipWidth = 80;

    /// <summary>The CLIP values and the T5 values of <paramref name="expected"/> and <paramref name="actual"/>, after checking the padding is 0 in both.</summary>
    public static (float[] ClipExpected, float[] ClipActual, float[] T5Expected, float[] T5Actual) Split(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var (clipExpected, clipActual, t5Expected, t5Actual) = (new List<float>(), new List<float>(), new List<float>(), new List<float>());
        for (int i = 0; i < actual.Length; i++)
        {
            int token = i / Width % Tokens, channel = i % Width;
            if (token >= ClipTokens) { t5Expected.Add(expected[i]); t5Actual.Add(actual[i]); }
            else if (channel < ClipWidth) { clipExpected.Add(expected[i]); clipActual.Add(actual[i]); }
            else Assert.True(actual[i] == 0f && expected[i] == 0f, $"{what}: padding channel {channel} of token {token} is {actual[i]}");
        }
        return ([.. clipExpected], [.. clipActual], [.. t5Expected], [.. t5Actual]);
    }
}
