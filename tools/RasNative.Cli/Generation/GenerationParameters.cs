using System.Globalization;
using System.Text.Json;
using RasNative.Cli.Infrastructure;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Generation;

/// <summary>
/// The one record of how an image or latents file was made: written as the output safetensors' __metadata__
/// and, in a PNG, as the `parameters` text chunk in the format AUTOMATIC1111's web UI writes (prompt line,
/// "Negative prompt:" line, then "Key: value" pairs), which image viewers and web UIs read back.
/// </summary>
public sealed record GenerationParameters(
    string Model,
    string? Prompt,
    string? NegativePrompt,
    GenerationSettings Settings,
    long? Seed,
    int Width,
    int Height,
    string Backend,
    string DType)
{
    public const string Sampler = "FlowMatch Euler";

    /// <summary>The --vae override the image was decoded with (null: the model's own VAE, or latents only).</summary>
    public string? Vae { get; init; }

    /// <summary>Images in the run (diffusers' num_images_per_prompt), their noise one draw.</summary>
    public int Images { get; init; } = 1;

    /// <summary>How the prompt was encoded, when generate encoded it (null for --embeddings).</summary>
    public TextEncodingRecord? Text { get; init; }

    /// <summary>The A1111 `parameters` text.</summary>
    public string ToA1111()
    {
        var lines = new List<string>();
        if (Prompt != null) lines.Add(Prompt);
        if (!string.IsNullOrEmpty(NegativePrompt)) lines.Add("Negative prompt: " + NegativePrompt);
        lines.Add(string.Join(", ", Pairs().Select(p => $"{p.Key}: {Quote(p.Value)}")));
        return string.Join("\n", lines);
    }

    /// <summary>safetensors __metadata__: every field under a snake_case key, plus `parameters` = <see cref="ToA1111"/>.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var ras = Settings.Ras;
        var metadata = new Dictionary<string, string>
        {
            ["model"] = Model,
            ["steps"] = Invariant(Settings.Steps),
            ["guidance"] = Invariant(Settings.GuidanceScale),
            ["shift"] = Invariant(Settings.Shift),
            ["sampler"] = Sampler,
            ["width"] = Invariant(Width),
            ["height"] = Invariant(Height),
            ["backend"] = Backend,
            ["dtype"] = DType,
            ["version"] = ProgramVersion.Text,
            ["ras"] = RasText(ras),
            ["parameters"] = ToA1111(),
        };
        if (Seed is { } seed) metadata["seed"] = Invariant(seed);
        if (Prompt != null) metadata["prompt"] = Prompt;
        if (NegativePrompt != null) metadata["negative_prompt"] = NegativePrompt;
        if (Vae != null) metadata["vae"] = Vae;
        if (Images != 1) metadata["images"] = Invariant(Images);
        if (Text is { } text) text.AddTo(metadata);
        return metadata;
    }

    IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        yield return new("Steps", Invariant(Settings.Steps));
        yield return new("Sampler", Sampler);
        yield return new("CFG scale", Invariant(Settings.GuidanceScale));
        if (Seed is { } seed) yield return new("Seed", Invariant(seed));
        yield return new("Size", $"{Width}x{Height}");
        yield return new("Model", FileName(Model));
        if (Vae != null) yield return new("VAE", FileName(Vae));
        yield return new("Shift", Invariant(Settings.Shift));
        yield return new("RAS", RasText(Settings.Ras));
        yield return new("Backend", $"{Backend} {DType}");
        yield return new("Version", ProgramVersion.Text);
    }

    /// <summary>"off" for a dense run, else every setting that shapes the schedule and selection.</summary>
    static string RasText(RasOptions ras) => ras.SampleRatio >= 1 ? "off" : string.Join(" ",
        $"ratio={Invariant(ras.SampleRatio)}", $"start={ras.StartStep}", $"end={ras.EndStep}",
        $"reset={(ras.ResetSteps.Count == 0 ? "none" : string.Join('/', ras.ResetSteps))}",
        $"metric={(ras.Metric == RasMetric.L2Norm ? "l2norm" : "std")}", $"high_ratio={Invariant(ras.HighRatio)}",
        $"starvation_scale={Invariant(ras.StarvationScale)}", $"skip_num_step={ras.SkipNumStep}", $"skip_num_step_length={ras.SkipNumStepLength}");

    static string FileName(string path) => Path.GetFileName(path.TrimEnd('/', Path.DirectorySeparatorChar));

    // As A1111 does: a value with a comma, colon or quote is written as a JSON string.
    static string Quote(string value) => value.IndexOfAny([',', ':', '"', '\n']) < 0 ? value : JsonSerializer.Serialize(value);

    static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}

/// <summary>The text settings of a prompt-encoded run, as recorded in the output's metadata (diffusers' argument names).</summary>
public sealed record TextEncodingRecord(string? Prompt2, string? Prompt3, string? NegativePrompt2, string? NegativePrompt3,
    int MaxSequenceLength, int? ClipSkip, bool T5)
{
    public void AddTo(IDictionary<string, string> metadata)
    {
        if (Prompt2 != null) metadata["prompt_2"] = Prompt2;
        if (Prompt3 != null) metadata["prompt_3"] = Prompt3;
        if (NegativePrompt2 != null) metadata["negative_prompt_2"] = NegativePrompt2;
        if (NegativePrompt3 != null) metadata["negative_prompt_3"] = NegativePrompt3;
        metadata["max_sequence_length"] = MaxSequenceLength.ToString(CultureInfo.InvariantCulture);
        if (ClipSkip is { } clipSkip) metadata["clip_skip"] = clipSkip.ToString(CultureInfo.InvariantCulture);
        metadata["t5"] = T5 ? "yes" : "no (--no-t5: zeros)";
    }
}
