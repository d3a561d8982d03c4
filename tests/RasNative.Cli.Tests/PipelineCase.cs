using System.Globalization;
using System.Text.Json;
using RasNative.Tests;

namespace RasNative.Cli.Tests;

/// <summary>
/// One fixtures/sd3-pipeline case: diffusers' call arguments (cases.json) as generate flags, and the tensors the real
/// pipeline computed (case_N.safetensors).
/// </summary>
internal sealed record PipelineCase(string Name, string Prompt, string? NegativePrompt, long Seed, int Height, int Width, int Steps,
    float Guidance, int MaxSequenceLength, int[] LatentShape)
{
    public static string Folder => FixturePaths.Get("sd3-pipeline");

    public static string Pipeline => Path.Combine(Folder, "sd3-pipeline-tiny");

    public string Tensors => Path.Combine(Folder, Name + ".safetensors");

    public static PipelineCase Load(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        var entry = json.RootElement.GetProperty("cases").GetProperty(name);
        var call = entry.GetProperty("call");
        return new PipelineCase(name, call.GetProperty("prompt").GetString()!,
            call.TryGetProperty("negative_prompt", out var negative) && negative.ValueKind == JsonValueKind.String ? negative.GetString() : null,
            entry.GetProperty("seed").GetInt64(), call.GetProperty("height").GetInt32(), call.GetProperty("width").GetInt32(),
            call.GetProperty("num_inference_steps").GetInt32(), call.GetProperty("guidance_scale").GetSingle(),
            call.GetProperty("max_sequence_length").GetInt32(), [.. entry.GetProperty("latent_shape").EnumerateArray().Select(d => d.GetInt32())]);
    }

    /// <summary>The call's arguments as generate's text and sampling flags (dense: --ras-ratio 1 is the diffusers pipeline).</summary>
    public string[] Flags()
    {
        var flags = new List<string> { "--prompt", Prompt, "--max-sequence-length", MaxSequenceLength.ToString(CultureInfo.InvariantCulture) };
        if (NegativePrompt != null) flags.AddRange(["--negative-prompt", NegativePrompt]);
        return [.. flags, .. SamplingFlags()];
    }

    /// <summary>
    /// The call's sampling arguments alone (for --embeddings): seed, pixel size (the latent size follows from the
    /// pipeline's VAE, ×2 here), steps, guidance, dense.
    /// </summary>
    public string[] SamplingFlags() =>
    [
        "--seed", Seed.ToString(CultureInfo.InvariantCulture),
        "--width", Width.ToString(CultureInfo.InvariantCulture), "--height", Height.ToString(CultureInfo.InvariantCulture),
        "--steps", Steps.ToString(CultureInfo.InvariantCulture), "--guidance", Guidance.ToString("R", CultureInfo.InvariantCulture),
        "--ras-ratio", "1",
    ];
}
