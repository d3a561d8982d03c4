using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;

namespace RasNative.Cli.Commands;

/// <summary>forward: one transformer call on inputs named as diffusers names them; optional per-layer dump.</summary>
public static class ForwardCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var inputs = new Option<string>("--inputs") { Description = "safetensors with the model's inputs (SD3: hidden_states, encoder_hidden_states, pooled_projections, timestep; Lumina: hidden_states, timestep, encoder_hidden_states, encoder_mask)", Required = true };
        var output = new Option<string>("--output") { Description = "safetensors to write (tensor 'sample')", Required = true };
        var dump = new Option<string?>("--dump") { Description = "also write every intermediate activation (diffusers module names)" };
        var ropeLinear = CliOptions.Number<double?>("--rope-linear-factor", "Lumina RoPE linear factor, > 0 (default: the inputs' metadata, else 1)", 0, 1e6, minExclusive: true);
        var ropeNtk = CliOptions.Number<double?>("--rope-ntk-factor", "Lumina RoPE NTK factor, > 0 (default: the inputs' metadata, else 1)", 0, 1e6, minExclusive: true);
        var baseLength = new Option<string?>("--base-sequence-length") { Description = "Lumina proportional attention base length, or none (default: the inputs' metadata, else none)" };
        var backendOptions = new BackendOptions();
        var command = new Command("forward", "Run one transformer forward pass.");
        model.AddTo(command);
        foreach (var option in new Option[] { inputs, output, dump, ropeLinear, ropeNtk, baseLength }) command.Options.Add(option);
        backendOptions.AddTo(command);
        command.SetAction(CliRunner.Guard(parsed =>
        {
            var clock = Stopwatch.StartNew();
            string inputsPath = parsed.GetValue(inputs)!;
            var transformer = ModelLoader.Transformer(model.Open(parsed));
            using var outputs = new OutputSet();
            foreach (var path in model.InputPaths(parsed)) outputs.AddInput(path);
            outputs.AddInput(inputsPath);
            var mainOutput = outputs.Declare("--output", parsed.GetValue(output)!);
            var dumpOutput = parsed.GetValue(dump) is { } dumpPath ? outputs.Declare("--dump", dumpPath) : null;
            using var file = InputTensors.Open(inputsPath);
            using var backend = backendOptions.Create(parsed);
            var recorder = dumpOutput == null ? null : new ActivationRecorder(backend);
            var sample = ModelLoader.IsLumina(transformer)
                ? ForwardLumina(transformer, file, backend, recorder, LuminaRope(parsed, file, ropeLinear, ropeNtk, baseLength))
                : ForwardSd3(transformer, file, backend, recorder);

            var metadata = new Dictionary<string, string>
            {
                ["model"] = parsed.GetValue(model.Model)!, ["inputs"] = inputsPath, ["backend"] = backend.Name,
                ["dtype"] = backendOptions.DTypeName(parsed), ["version"] = ProgramVersion.Text,
            };
            var result = new OutputFile();
            result.Add(backend, "sample", sample);
            result.Write(outputs, mainOutput, metadata);
            if (recorder != null && dumpOutput != null)
            {
                var activations = new OutputFile();
                foreach (var (name, (data, shape)) in recorder.Recorded) activations.Add(name, data, shape);
                activations.Write(outputs, dumpOutput, metadata);
            }
            outputs.Commit();
            RunSummary.Print("forward", $"{mainOutput.Path} (sample [{string.Join(", ", sample.Shape)}])" + (dumpOutput != null ? $" and {recorder!.Recorded.Count} activations to {dumpOutput.Path}" : ""),
                $"1 forward of {sample.Dim(0)} × {sample.Dim(2)}×{sample.Dim(3)} latents", clock);
            return 0;
        }));
        return command;
    }

    static Tensor ForwardSd3(ModelComponent component, InputTensors file, IBackend backend, IActivationObserver? observer)
    {
        var transformer = Sd3Transformer.Load(component, backend);
        var latent = file.Upload(backend, "hidden_states", 4);
        var request = new Sd3Inputs(latent, file.Upload(backend, "encoder_hidden_states", 3),
            file.Upload(backend, "pooled_projections", 2), file.Read("timestep", 1));
        var sample = backend.Allocate(latent.Dim(0), transformer.Config.OutChannels, latent.Dim(2), latent.Dim(3));
        transformer.Forward(request, sample, observer: observer);
        return sample;
    }

    static Tensor ForwardLumina(ModelComponent component, InputTensors file, IBackend backend, IActivationObserver? observer,
        (LuminaRopeScaling Rope, int? BaseSequenceLength) options)
    {
        var transformer = LuminaNextTransformer.Load(component, backend);
        var latent = file.Upload(backend, "hidden_states", 4);
        var request = new LuminaNextInputs(latent, file.Read("timestep", 1), file.Upload(backend, "encoder_hidden_states", 3),
            file.Upload(backend, "encoder_mask", 2), options.Rope, options.BaseSequenceLength);
        var sample = backend.Allocate(latent.Dim(0), transformer.Config.OutChannels, latent.Dim(2), latent.Dim(3));
        transformer.Forward(request, sample, observer: observer);
        return sample;
    }

    /// <summary>Flags override the inputs file's metadata (as the fixture cases carry it), which overrides the defaults.</summary>
    static (LuminaRopeScaling, int?) LuminaRope(ParseResult parsed, InputTensors file, Option<double?> linear, Option<double?> ntk, Option<string?> baseLength)
    {
        var metadata = file.Source.Metadata;
        double Factor(Option<double?> option, string key) => parsed.GetValue(option) switch
        {
            > 0 and var given => given,
            { } bad => throw new UsageException($"{option.Name}: must be positive, got {bad}"),
            null => metadata.TryGetValue(key, out var text) ? ParseNumber(text, key) : 1.0,
        };
        string? length = parsed.GetValue(baseLength) ?? metadata.GetValueOrDefault("base_sequence_length");
        int? baseSequenceLength = length is null or "none" ? null
            : int.TryParse(length, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 1 ? n
            : throw new UsageException($"--base-sequence-length: '{length}' is neither an integer above 1 nor 'none'");
        return (new LuminaRopeScaling(Factor(linear, "rope_linear_factor"), Factor(ntk, "rope_ntk_factor")), baseSequenceLength);
    }

    static double ParseNumber(string text, string key) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0
            ? value
            : throw new UsageException($"inputs metadata '{key}': '{text}' is not a positive number");
}
