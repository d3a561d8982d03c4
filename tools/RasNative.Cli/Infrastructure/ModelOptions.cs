using System.CommandLine;
using RasNative.Loaders.ModelSources;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// --model (pipeline folder, component folder or single .safetensors file) and --config (a diffusers config.json
/// for a single-file transformer); with component overrides also --text-encoders DIR and --vae DIR.
/// </summary>
public sealed class ModelOptions(string modelDescription = ModelOptions.ModelDescription)
{
    public const string ModelDescription = "diffusers pipeline folder, transformer folder, or single .safetensors file (SAI / ComfyUI layout or diffusers names)";

    public Option<string> Model { get; } = new("--model") { Description = modelDescription, Required = true };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "diffusers config.json for a single-file transformer, checked against its shapes (needed when its width is not a multiple of 64)",
    };

    public Option<string?> TextEncoders { get; } = new("--text-encoders")
    {
        Description = "tokenizers and text encoders (and their configs, for a single file's encoders) from this folder, e.g. a diffusers pipeline",
    };

    public Option<string?> Vae { get; } = new("--vae") { Description = "the VAE (and its config, for a single file's VAE) from this folder" };

    bool overrides;

    /// <param name="modelOption">false where the path is the command's argument (inspect).</param>
    public void AddTo(Command command, bool componentOverrides = false, bool modelOption = true)
    {
        overrides = componentOverrides;
        if (modelOption) command.Options.Add(Model);
        command.Options.Add(Config);
        if (!componentOverrides) return;
        command.Options.Add(TextEncoders);
        command.Options.Add(Vae);
    }

    public ModelSource Open(ParseResult parsed) => Open(parsed, parsed.GetValue(Model)!);

    /// <summary>Every path the model options read (the model, --config, the overrides): no output may be one of them.</summary>
    public IEnumerable<string> InputPaths(ParseResult parsed) =>
        new[] { parsed.GetValue(Model), parsed.GetValue(Config), overrides ? parsed.GetValue(TextEncoders) : null, overrides ? parsed.GetValue(Vae) : null }
            .OfType<string>();

    /// <summary>Opens <paramref name="path"/> with the parsed --config (and overrides).</summary>
    public ModelSource Open(ParseResult parsed, string path) => ModelSource.Open(path, new ModelSourceOptions
    {
        TransformerConfig = parsed.GetValue(Config),
        TextEncoders = overrides ? parsed.GetValue(TextEncoders) : null,
        Vae = overrides ? parsed.GetValue(Vae) : null,
    });
}
