using System.CommandLine;
using System.Diagnostics;
using RasNative.Cli.Images;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders.ModelSources;

namespace RasNative.Cli.Commands;

/// <summary>decode: latents (as generate writes them) through the pipeline's VAE to PNG images or the raw decoder output.</summary>
public static class DecodeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "a VAE folder, a diffusers pipeline folder with vae/, or a single .safetensors file holding a VAE (first_stage_model.* or diffusers names)",
            Required = true,
        };
        var vaeFolder = new Option<string?>("--vae") { Description = "the VAE's config for a single file's VAE (checked against its shapes), or the VAE itself where --model has none: a VAE or pipeline folder" };
        var latents = new Option<string>("--latents") { Description = "safetensors with tensor 'latents' [B, C, h, w] as generate writes it (before the VAE's scaling)", Required = true };
        var output = new Option<string>("--output")
        {
            Description = "FILE.png (a batch writes FILE-0.png, FILE-1.png, …) or FILE.safetensors (tensor 'sample' [B, 3, H, W], the raw decoder output)",
            Required = true,
        };
        var noScaling = new Option<bool>("--no-scaling") { Description = "feed the latents to the decoder as they are (no latents / scaling_factor + shift_factor)" };
        var vaeOptions = new VaeOptions();
        var backendOptions = new BackendOptions();
        var command = new Command("decode", "Decode latents with the pipeline's VAE (AutoencoderKL) into PNG images.");
        foreach (var option in new Option[] { model, vaeFolder, latents, output, noScaling }) command.Options.Add(option);
        vaeOptions.AddTo(command);
        backendOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            var clock = Stopwatch.StartNew();
            string modelPath = parsed.GetValue(model)!, latentsPath = parsed.GetValue(latents)!, outputPath = parsed.GetValue(output)!;
            var kind = OutputKinds.Of("--output", outputPath);
            var vae = VaeImages.Find(ModelSource.Open(modelPath, new ModelSourceOptions { Vae = parsed.GetValue(vaeFolder) }), required: true)!;
            using var file = InputTensors.Open(latentsPath);
            var shape = file.Shape("latents", 4);
            vae.RequireLatentChannels(shape[1], $"{latentsPath}: tensor 'latents' [{string.Join(", ", shape)}]");
            if (kind == OutputKind.Png) vae.RequireRgb();
            var tiling = vaeOptions.Get(parsed);

            using var outputs = new OutputSet();
            outputs.AddInput(modelPath);
            outputs.AddInput(parsed.GetValue(vaeFolder));
            outputs.AddInput(latentsPath);
            var targets = kind == OutputKind.Png
                ? VaeImages.DeclarePngs(outputs, "--output", outputPath, shape[0])
                : [outputs.Declare("--output", outputPath)];
            vae.RequireHostFits(shape[0], shape[2], shape[3], tiling, cpu: parsed.GetValue(backendOptions.Backend) == "cpu");
            var values = file.Read("latents", 4);

            using var backend = backendOptions.Create(parsed);
            var sample = vae.Decode(backend, values, shape, unscale: !parsed.GetValue(noScaling), tiling);
            int scale = vae.Config.SpatialScale, height = shape[2] * scale, width = shape[3] * scale;
            // The generation record the latents carry (generate writes it) goes on into the images.
            string? parameters = file.Source.Metadata.GetValueOrDefault("parameters");
            if (kind == OutputKind.Png)
            {
                VaeImages.WritePngs(outputs, targets, sample, height, width, parameters);
            }
            else
            {
                var metadata = new Dictionary<string, string>
                {
                    ["model"] = modelPath, ["latents"] = latentsPath, ["scaling"] = parsed.GetValue(noScaling) ? "none" : "scaling_factor/shift_factor",
                    ["vae_tiling"] = tiling == null ? "off" : $"{tiling.TileSize}/{tiling.Overlap}",
                    ["backend"] = backend.Name, ["dtype"] = backendOptions.DTypeName(parsed), ["version"] = ProgramVersion.Text,
                };
                if (parameters != null) metadata["parameters"] = parameters;
                var result = new OutputFile();
                result.Add("sample", sample, [shape[0], vae.Config.OutChannels, height, width]);
                result.Write(outputs, targets[0], metadata);
            }
            outputs.Commit();
            string wrote = targets.Count == 1 ? targets[0].Path : $"{targets[0].Path} … {targets[^1].Path}";
            RunSummary.Print("decode", $"{wrote} ({shape[0]} × {width}×{height}{(kind == OutputKind.Png ? " PNG" : " sample")})",
                $"{shape[0]} VAE decode{(shape[0] == 1 ? "" : "s")} of {shape[2]}×{shape[3]} latents{(tiling == null ? "" : " in tiles")}", clock);
            return 0;
        }));
        return command;
    }
}
