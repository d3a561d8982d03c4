using System.CommandLine;
using RasNative.Cli.Infrastructure;
using RasNative.Sampler.Text;

namespace RasNative.Cli.Generation;

/// <summary>
/// The text flags of encode and generate, in diffusers' argument names: the prompts for the three encoders and their
/// negatives, max_sequence_length, clip_skip, and --no-t5 (the pipeline without text_encoder_3).
/// </summary>
public sealed class TextOptions
{
    /// <summary>diffusers' check_inputs: max_sequence_length above 512 is an error (T5's training length).</summary>
    public const int MaxSequenceLimit = 512;

    public Option<string?> Prompt { get; } = new("--prompt") { Description = "the prompt (CLIP-L; also CLIP-G and T5 unless --prompt-2 / --prompt-3 are given)" };
    public Option<string?> Prompt2 { get; } = new("--prompt-2") { Description = "prompt for CLIP-G (text_encoder_2); empty = --prompt" };
    public Option<string?> Prompt3 { get; } = new("--prompt-3") { Description = "prompt for T5 (text_encoder_3); empty = --prompt" };
    public Option<string?> NegativePrompt { get; } = new("--negative-prompt") { Description = "what to guide away from (default: the empty prompt, as diffusers)" };
    public Option<string?> NegativePrompt2 { get; } = new("--negative-prompt-2") { Description = "negative prompt for CLIP-G; empty = --negative-prompt" };
    public Option<string?> NegativePrompt3 { get; } = new("--negative-prompt-3") { Description = "negative prompt for T5; empty = --negative-prompt" };

    public Option<int> MaxSequenceLength { get; } = CliOptions.Number<int>("--max-sequence-length",
        $"T5 tokens (diffusers' max_sequence_length), 1 … {MaxSequenceLimit}", 1, MaxSequenceLimit, defaultValue: _ => 256);

    public Option<int?> ClipSkip { get; } = CliOptions.Number<int?>("--clip-skip",
        "CLIP layers to skip for the prompt: hidden_states[-(K + 2)] (default: the penultimate layer, as K = 0)", 0);

    public Option<bool> NoT5 { get; } = new("--no-t5") { Description = "run without the T5 encoder: its part of prompt_embeds is zero (diffusers with text_encoder_3=None)" };

    Option[] All => [Prompt, Prompt2, Prompt3, NegativePrompt, NegativePrompt2, NegativePrompt3, MaxSequenceLength, ClipSkip, NoT5];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public bool HasPrompt(ParseResult parsed) => parsed.GetValue(Prompt) != null;

    /// <summary>The flags given on the command line other than --prompt (for "only with --prompt" errors).</summary>
    public IEnumerable<string> OtherGivenFlags(ParseResult parsed) =>
        All.Where(o => o != Prompt && parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name);

    public Sd3Prompts Prompts(ParseResult parsed) => Sd3Prompts.Single(parsed.GetValue(Prompt)!,
        parsed.GetValue(Prompt2), parsed.GetValue(Prompt3),
        parsed.GetValue(NegativePrompt), parsed.GetValue(NegativePrompt2), parsed.GetValue(NegativePrompt3));

    /// <summary>What the output records about the text settings.</summary>
    public TextEncodingRecord Record(ParseResult parsed, bool t5) => new(
        Given(parsed, Prompt2), Given(parsed, Prompt3), Given(parsed, NegativePrompt2), Given(parsed, NegativePrompt3),
        parsed.GetValue(MaxSequenceLength), parsed.GetValue(ClipSkip), t5);

    static string? Given(ParseResult parsed, Option<string?> option) => parsed.GetValue(option) is { Length: > 0 } text ? text : null;

    /// <summary>The negative prompt as recorded with the image (the empty default is not a prompt).</summary>
    public string? RecordedNegative(ParseResult parsed) => parsed.GetValue(NegativePrompt) is { Length: > 0 } negative ? negative : null;

    /// <summary>Whether a T5-only prompt flag was given (meaningless without the T5 encoder).</summary>
    public string? T5OnlyFlag(ParseResult parsed) =>
        new[] { Prompt3, NegativePrompt3 }.FirstOrDefault(o => !string.IsNullOrEmpty(parsed.GetValue(o)))?.Name;

    /// <summary>Any negative prompt flag with text (ignored without guidance).</summary>
    public string? NegativeFlag(ParseResult parsed) =>
        new[] { NegativePrompt, NegativePrompt2, NegativePrompt3 }.FirstOrDefault(o => !string.IsNullOrEmpty(parsed.GetValue(o)))?.Name;
}
