using System.CommandLine;
using System.Diagnostics;
using RasNative.Cli.Generation;
using RasNative.Cli.Images;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Runtime.Models;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Random;

namespace RasNative.Cli.Commands;

/// <summary>generate: the model's denoising loop with RAS, from text embeddings to final latents (SD3/SD3.5, Lumina-Next).</summary>
public static class GenerateCommand
{
    const int MaxSteps = 10_000;

    /// <summary>Host bytes a run keeps per step (schedule, RAS plan and selection state), for the --steps bound.</summary>
    const long HostBytesPerStep = 64;

    public static Command Create()
    {
        var model = new ModelOptions();
        var embeddings = new Option<string>("--embeddings") { Description = "the pipeline's prompt tensors (SD3: prompt_embeds, pooled_prompt_embeds and negatives; Lumina: prompt_embeds, prompt_attention_mask and negatives)", Required = true };
        var steps = CliOptions.Number<int>("--steps", "sampler steps", 1, MaxSteps, defaultValue: _ => 28);
        var guidance = CliOptions.Number<float?>("--guidance", "classifier-free guidance scale, ≥ 0; > 1 needs the negative embeddings (default: SD3 7, Lumina 4)", 0, 1e4);
        var latents = new Option<string?>("--latents") { Description = "initial noise: tensor 'latents' [1, C, H, W], used as is" };
        var seed = CliOptions.Number<long?>("--seed", "draw the initial noise as torch.randn with a seeded CPU generator", 0);
        var width = CliOptions.Number<int?>("--width", "image width in pixels (latent = width / the VAE's scale, 8 without a VAE), with --seed", 1, 1 << 16);
        var height = CliOptions.Number<int?>("--height", "image height in pixels (latent = height / the VAE's scale), with --seed", 1, 1 << 16);
        var shift = CliOptions.Number<double?>("--shift", "scheduler shift, > 0 (default: the pipeline's scheduler config, else SD3 3.0, Lumina 1.0)", 0, 1e6, minExclusive: true);
        var watershed = CliOptions.Number<double>("--scaling-watershed", "Lumina: RoPE linear scaling below this model timestep, NTK above; in [0, 1]", 0, 1, defaultValue: _ => 1.0);
        var proportional = new Option<bool>("--proportional-attn") { Description = "Lumina: proportional attention (true|false)", DefaultValueFactory = _ => true, Arity = ArgumentArity.ExactlyOne };
        var output = new Option<string>("--output") { Description = "FILE.png: the image, decoded by the pipeline's VAE (or --vae DIR); FILE.safetensors: tensor 'latents'", Required = true };
        var trace = new Option<string?>("--trace") { Description = "also write latents_stepNN_out, active_patches_stepNN, final_latents" };
        var heatmap = new Option<string?>("--ras-heatmap") { Description = "PNG of how often each patch was computed" };
        var ras = new RasFlags();
        var backendOptions = new BackendOptions();
        var vaeOptions = new VaeOptions();
        var command = new Command("generate", "Denoise from text embeddings with FlowMatch Euler, CFG and Region-Adaptive Sampling.");
        model.AddTo(command, componentOverrides: true);
        foreach (var option in new Option[] { embeddings, steps, guidance, latents, seed, width, height, shift, watershed, proportional, output, trace, heatmap })
            command.Options.Add(option);
        ras.AddTo(command);
        backendOptions.AddTo(command);
        vaeOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            var clock = Stopwatch.StartNew();
            int stepCount = parsed.GetValue(steps);
            string modelPath = parsed.GetValue(model.Model)!, embeddingsPath = parsed.GetValue(embeddings)!;
            var outputKind = OutputKinds.Of("--output", parsed.GetValue(output)!);
            var source = model.Open(parsed);
            var transformer = ModelLoader.Transformer(source);
            var vae = VaeImages.Find(source, required: outputKind == OutputKind.Png);
            if (outputKind != OutputKind.Png && vaeOptions.Get(parsed) != null)
                throw new UsageException("--vae-tiling: only a .png --output is decoded by the VAE");

            // Every output is checked against every input and against each other before any work.
            using var outputs = new OutputSet();
            foreach (var path in model.InputPaths(parsed)) outputs.AddInput(path);
            outputs.AddInput(embeddingsPath);
            outputs.AddInput(parsed.GetValue(latents));
            var mainOutput = outputs.Declare("--output", parsed.GetValue(output)!);
            var traceOutput = parsed.GetValue(trace) is { } tracePath ? outputs.Declare("--trace", tracePath) : null;
            var heatmapOutput = parsed.GetValue(heatmap) is { } heatmapPath ? outputs.Declare("--ras-heatmap", heatmapPath) : null;

            IGenerationModel family = ModelLoader.IsLumina(transformer)
                ? new LuminaGeneration(transformer, new LuminaPipelineOptions(parsed.GetValue(watershed), parsed.GetValue(proportional)))
                : new Sd3Generation(transformer);
            float guidanceScale = parsed.GetValue(guidance) ?? family.DefaultGuidance;
            int vaeScale = vae?.Config.SpatialScale ?? VaeImages.DefaultSpatialScale;
            var (shape, seedValue) = LatentShape(parsed, latents, seed, width, height, family, vaeScale);
            if (outputKind == OutputKind.Png)
            {
                vae!.RequireLatentChannels(family.InChannels, $"the transformer's latent ({transformer.ConfigSource}, in_channels)");
                vae.RequireRgb();
            }
            int rows = shape[2] / family.PatchSize, columns = shape[3] / family.PatchSize;
            RequireStepsFit(stepCount, shape, rows * columns, traceOutput);
            var rasOptions = ras.Build(parsed, stepCount, rows * columns, family.DefaultRas(stepCount, rows * columns));
            int textTokens;
            using (var embeddingFile = InputTensors.Open(embeddingsPath))
                textTokens = family.ReadConditioning(embeddingFile, guidanceScale);
            var settings = new GenerationSettings(stepCount, guidanceScale,
                parsed.GetValue(shift) ?? ModelLoader.SchedulerShift(source, family.DefaultShift), rasOptions);
            bool cpu = parsed.GetValue(backendOptions.Backend) == "cpu";
            if (cpu) RequireHostFits(family, new TokenShape(settings.UsesGuidance ? 2 : 1, rows * columns, textTokens), rasOptions.SampleRatio < 1);
            if (outputKind == OutputKind.Png)
                vae!.RequireHostFits(1, shape[2], shape[3], vaeOptions.Get(parsed), cpu, cpu ? ("transformer weights", 4 * family.ParameterCount()) : null);
            var noise = seedValue is { } s
                ? TorchRandn.Randn(new TorchGenerator((ulong)s), shape.Aggregate(1L, (a, b) => a * b))
                : ReadLatents(parsed.GetValue(latents)!);

            using var backend = backendOptions.Create(parsed);
            using var traceFile = traceOutput == null ? null : new SafetensorsStreamWriter(traceOutput.Target);
            var map = new PatchHeatmap(rows, columns);
            long computed = 0;
            int rasSteps = 0;
            var final = StepProgress.Run("generate", stepCount, progress => family.Sample(backend, noise, shape, settings, report =>
            {
                progress(report);
                map.Record(report.ActivePatches);
                computed += report.ActivePatches?.Length ?? report.Patches;
                if (report.ActivePatches != null) rasSteps++;
                traceFile?.Add($"latents_step{report.Step:00}_out", report.Latents, [.. shape.Select(d => (long)d)]);
                if (report.ActivePatches is { } active)
                    traceFile?.Add($"active_patches_step{report.Step:00}", [.. active.Select(i => (long)i)], active.Length);
            }));

            var parameters = new GenerationParameters(modelPath, null, null, settings, seedValue, shape[3] * vaeScale, shape[2] * vaeScale,
                backend.Name, backendOptions.DTypeName(parsed)) { Vae = parsed.GetValue(model.Vae) };
            var metadata = parameters.ToMetadata();
            if (outputKind == OutputKind.Png)
            {
                var sample = vae!.Decode(backend, final, shape, unscale: true, vaeOptions.Get(parsed));
                VaeImages.WritePngs(outputs, [mainOutput], sample, shape[2] * vaeScale, shape[3] * vaeScale, parameters.ToA1111());
            }
            else
            {
                var result = new OutputFile();
                result.Add("latents", final, shape);
                result.Write(outputs, mainOutput, metadata);
            }
            if (traceFile != null)
            {
                traceFile.Add("final_latents", final, [.. shape.Select(d => (long)d)]);
                outputs.Write(traceOutput!, stream => traceFile.WriteTo(stream, metadata));
            }
            if (heatmapOutput != null) outputs.Write(heatmapOutput, map.WritePng);
            outputs.Commit();

            RunSummary.Print("generate", $"{mainOutput.Path} ({(outputKind == OutputKind.Png ? $"{shape[3] * vaeScale}×{shape[2] * vaeScale} image" : $"latents [{string.Join(", ", shape)}]")})",
                $"{stepCount} steps ({stepCount - rasSteps} dense, {rasSteps} RAS; {computed} of {(long)stepCount * rows * columns} patch evaluations)", clock);
            return 0;
        }));
        return command;
    }

    /// <summary>The latent shape from --latents, or from --seed with --width/--height (the noise itself is drawn after the memory checks).</summary>
    static (int[] Shape, long? Seed) LatentShape(ParseResult parsed, Option<string?> latents, Option<long?> seed,
        Option<int?> width, Option<int?> height, IGenerationModel family, int vaeScale)
    {
        string? latentsPath = parsed.GetValue(latents);
        long? seedValue = parsed.GetValue(seed);
        if ((latentsPath == null) == (seedValue == null))
            throw new UsageException("give exactly one of --latents FILE or --seed S (with --width/--height)");
        if (latentsPath != null)
        {
            using var file = InputTensors.Open(latentsPath);
            var shape = file.Shape("latents", 4);
            if (shape[0] != 1 || shape[1] != family.InChannels)
                throw new UsageException($"{latentsPath}: tensor 'latents' has shape [{string.Join(", ", shape)}], expected [1, {family.InChannels}, H, W]");
            if (shape[2] % family.PatchSize != 0 || shape[3] % family.PatchSize != 0)
                throw new UsageException($"{latentsPath}: latent {shape[2]}x{shape[3]} is not a multiple of patch_size {family.PatchSize}");
            return (shape, null);
        }
        int pixelsWide = parsed.GetValue(width) ?? throw new UsageException("--seed needs --width and --height (pixels)");
        int pixelsHigh = parsed.GetValue(height) ?? throw new UsageException("--seed needs --width and --height (pixels)");
        int multiple = vaeScale * family.PatchSize;
        if (pixelsWide % multiple != 0 || pixelsHigh % multiple != 0)
            throw new UsageException($"--width {pixelsWide} / --height {pixelsHigh}: each must be a multiple of {multiple} (the VAE's scale {vaeScale} · patch_size {family.PatchSize})");
        return ([1, family.InChannels, pixelsHigh / vaeScale, pixelsWide / vaeScale], seedValue);
    }

    static float[] ReadLatents(string path)
    {
        using var file = InputTensors.Open(path);
        return file.Read("latents", 4);
    }

    /// <summary>Refuses a step count whose per-step host state, or trace file, cannot fit (before the RAS plan is built).</summary>
    static void RequireStepsFit(int steps, int[] shape, int patches, OutputSet.Output? trace)
    {
        long latentBytes = 4L * shape.Aggregate(1L, (a, b) => a * b);
        MemoryBudget.Require($"--steps {steps}", [("sampler state", steps * HostBytesPerStep), ("latents", 3 * latentBytes)],
            MemoryBudget.AvailableHostBytes(), "host memory");
        if (trace != null)
            MemoryBudget.Require($"--trace with --steps {steps}", [("per-step latents", (steps + 1) * latentBytes), ("active patch ids", steps * 8L * patches)],
                MemoryBudget.FreeDiskBytes(trace.Target), "disk space beside " + trace.Path);
    }

    /// <summary>The CPU backend keeps float32 weights, the forward arena and the RAS caches in host memory.</summary>
    static void RequireHostFits(IGenerationModel family, TokenShape tokens, bool ras)
    {
        string what = $"generating {tokens.ImageTokens} patches × batch {tokens.Batch} on the cpu backend";
        long activations = family.ActivationElements(tokens, ras);
        if (activations == long.MaxValue) throw new UsageException($"{what}: one activation buffer would exceed {int.MaxValue} elements; use a smaller image");
        MemoryBudget.Require(what, [("weights", 4 * family.ParameterCount()), ("activations", 4 * activations)], MemoryBudget.AvailableHostBytes(), "host memory");
    }
}
