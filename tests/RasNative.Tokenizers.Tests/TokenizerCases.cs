using System.Text.Json;
using RasNative.Tests;

namespace RasNative.Tokenizers.Tests;

/// <summary>../shared/fixtures/text-encoders/tokenizer_cases.json: 21 prompts with transformers' slow tokenizers' output.</summary>
public static class TokenizerCases
{
    public const int Count = 21;

    static readonly Lazy<JsonElement[]> Prompts = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(FixturePaths.Get("text-encoders", "tokenizer_cases.json")));
        return document.RootElement.GetProperty("prompts").EnumerateArray().Select(p => p.Clone()).ToArray();
    });

    public static string Prompt(int index) => Prompts.Value[index].GetProperty("prompt").GetString()!;

    /// <param name="tokenizer">"clip_l", "clip_g" or "t5".</param>
    public static int[] Ids(int index, string tokenizer, string field) =>
        Prompts.Value[index].GetProperty(tokenizer).GetProperty(field).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static string[] Strings(int index, string tokenizer, string field) =>
        Prompts.Value[index].GetProperty(tokenizer).GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>The folders holding each tokenizer: the text-encoders fixture and the saved pipeline folder.</summary>
    public static string Folder(string fixture, string subfolder) => fixture switch
    {
        "text-encoders" => FixturePaths.Get("text-encoders", subfolder),
        "pipeline" => FixturePaths.Get("sd3-pipeline", "sd3-pipeline-tiny", subfolder),
        _ => throw new ArgumentOutOfRangeException(nameof(fixture)),
    };
}
