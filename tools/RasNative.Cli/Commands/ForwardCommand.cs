using System.CommandLine;
using RasNative.Cli.Infrastructure;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.Sd3;

namespace RasNative.Cli.Commands;

/// <summary>forward: one transformer call on inputs named as diffusers names them; optional per-layer dump.</summary>
public static class ForwardCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "transformer folder or diffusers pipeline folder", Required = true };
        var inputs = new Option<string>("--inputs") { Description = "safetensors with hidden_states, encoder_hidden_states, pooled_projections, timestep", Required = true };
        var output = new Option<string>("--output") { Description = "safetensors to write (tensor 'sample')", Required = true };
        var dump = new Option<string?>("--dump") { Description = "also write every intermediate activation (diffusers module names)" };
        var backendOptions = new BackendOptions();
        var command = new Command("forward", "Run one transformer forward pass.");
        command.Options.Add(model);
        command.Options.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(dump);
        backendOptions.AddTo(command);
        command.SetAction(CliRunner.Guard(parsed =>
        {
            using var backend = backendOptions.Create(parsed);
            var transformer = ModelLoader.LoadSd3(parsed.GetValue(model)!, backend);
            string inputPath = parsed.GetValue(inputs)!;
            using var file = InputTensors.Open(inputPath);
            var latent = file.Upload(backend, "hidden_states", 4);
            var request = new Sd3Inputs(
                latent,
                file.Upload(backend, "encoder_hidden_states", 3),
                file.Upload(backend, "pooled_projections", 2),
                file.Read("timestep", 1));
            var sample = backend.Allocate(latent.Dim(0), transformer.Config.OutChannels, latent.Dim(2), latent.Dim(3));
            string? dumpPath = parsed.GetValue(dump);
            var recorder = dumpPath == null ? null : new ActivationRecorder(backend);
            transformer.Forward(request, sample, observer: recorder);

            var result = new OutputFile();
            result.Add(backend, "sample", sample);
            if (recorder != null && dumpPath != null)
            {
                var activations = new OutputFile();
                foreach (var (name, (data, shape)) in recorder.Recorded) activations.Add(name, data, shape);
                activations.Write(dumpPath);
            }
            result.Write(parsed.GetValue(output)!);
            return 0;
        }));
        return command;
    }
}
