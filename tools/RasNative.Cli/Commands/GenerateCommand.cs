using System.CommandLine;
using RasNative.Cli.Generation;
using RasNative.Cli.Infrastructure;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Random;

namespace RasNative.Cli.Commands;

/// <summary>generate: the model's denoising loop with RAS, from text embeddings to final latents (SD3/SD3.5, Lumina-Next).</summary>
public static class GenerateCommand
{
    const int VaeScale = 8;

    public static Command Create()
    {
        var model = new ModelOptions();
        var embeddings = new Option<string>("--embeddings") { Description = "the pipeline's prompt tensors (SD3: prompt_embeds, pooled_prompt_embeds and negatives; Lumina: prompt_embeds, prompt_attention_mask and negatives)", Required = true };
        var steps = new Option<int>("--steps") { Description = "sampler steps", DefaultValueFactory = _ => 28 };
        var guidance = new Option<float?>("--guidance") { Description = "classifier-free guidance scale; > 1 needs the negative embeddings (default: SD3 7, Lumina 4)" };
        var latents = new Option<string?>("--latents") { Description = "initial noise: tensor 'latents' [1, C, H, W], used as is" };
        var seed = new Option<long?>("--seed") { Description = "draw the initial noise as torch.randn with a seeded CPU generator" };
        var width = new Option<int?>("--width") { Description = "image width in pixels (latent = width / 8), with --seed" };
        var height = new Option<int?>("--height") { Description = "image height in pixels (latent = height / 8), with --seed" };
        var shift = new Option<double?>("--shift") { Description = "scheduler shift (default: the pipeline's scheduler config, else SD3 3.0, Lumina 1.0)" };
        var watershed = new Option<double>("--scaling-watershed") { Description = "Lumina: RoPE linear scaling below this model timestep, NTK above", DefaultValueFactory = _ => 1.0 };
        var proportional = new Option<bool>("--proportional-attn") { Description = "Lumina: proportional attention (true|false)", DefaultValueFactory = _ => true, Arity = ArgumentArity.ExactlyOne };
        var output = new Option<string>("--output") { Description = "safetensors to write (tensor 'latents')", Required = true };
        var trace = new Option<string?>("--trace") { Description = "also write latents_stepNN_out, active_patches_stepNN, final_latents" };
        var heatmap = new Option<string?>("--ras-heatmap") { Description = "PNG of how often each patch was computed" };
        var ras = new RasFlags();
        var backendOptions = new BackendOptions();
        var command = new Command("generate", "Denoise from text embeddings with FlowMatch Euler, CFG and Region-Adaptive Sampling.");
        model.AddTo(command);
        foreach (var option in new Option[] { embeddings, steps, guidance, latents, seed, width, height, shift, watershed, proportional, output, trace, heatmap })
            command.Options.Add(option);
        ras.AddTo(command);
        backendOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            int stepCount = parsed.GetValue(steps);
            if (stepCount < 1) throw new UsageException($"--steps must be at least 1, got {stepCount}");
            string outputPath = parsed.GetValue(output)!;
            string? tracePath = parsed.GetValue(trace), heatmapPath = parsed.GetValue(heatmap);
            foreach (var path in new[] { outputPath, tracePath, heatmapPath }.OfType<string>()) AtomicFile.RequireFolder(path);

            var source = model.Open(parsed);
            var transformer = ModelLoader.Transformer(source);
            IGenerationModel family = ModelLoader.IsLumina(transformer)
                ? new LuminaGeneration(transformer, new LuminaPipelineOptions(parsed.GetValue(watershed), parsed.GetValue(proportional)))
                : new Sd3Generation(transformer);
            float guidanceScale = parsed.GetValue(guidance) ?? family.DefaultGuidance;
            var (noise, shape) = InitialNoise(parsed, latents, seed, width, height, family);
            int rows = shape[2] / family.PatchSize, columns = shape[3] / family.PatchSize;
            var rasOptions = ras.Build(parsed, stepCount, rows * columns, family.DefaultRas(stepCount, rows * columns));
            using (var embeddingFile = InputTensors.Open(parsed.GetValue(embeddings)!))
                family.ReadConditioning(embeddingFile, guidanceScale);
            var settings = new GenerationSettings(stepCount, guidanceScale,
                parsed.GetValue(shift) ?? ModelLoader.SchedulerShift(source, family.DefaultShift), rasOptions);

            using var backend = backendOptions.Create(parsed);
            var traceFile = tracePath == null ? null : new OutputFile();
            var map = new PatchHeatmap(rows, columns);
            var final = StepProgress.Run("generate", stepCount, progress => family.Sample(backend, noise, shape, settings, report =>
            {
                progress(report);
                map.Record(report.ActivePatches);
                traceFile?.Add($"latents_step{report.Step:00}_out", (float[])report.Latents.Clone(), shape);
                if (report.ActivePatches is { } active)
                    traceFile?.Add($"active_patches_step{report.Step:00}", [.. active.Select(i => (long)i)], [active.Length]);
            }));

            if (traceFile != null && tracePath != null)
            {
                traceFile.Add("final_latents", final, shape);
                traceFile.Write(tracePath);
            }
            if (heatmapPath != null) map.WritePng(heatmapPath);
            var result = new OutputFile();
            result.Add("latents", final, shape);
            result.Write(outputPath);
            return 0;
        }));
        return command;
    }

    static (float[] Noise, int[] Shape) InitialNoise(ParseResult parsed, Option<string?> latents, Option<long?> seed,
        Option<int?> width, Option<int?> height, IGenerationModel family)
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
            return (file.Read("latents", 4), shape);
        }
        int pixelsWide = parsed.GetValue(width) ?? throw new UsageException("--seed needs --width and --height (pixels)");
        int pixelsHigh = parsed.GetValue(height) ?? throw new UsageException("--seed needs --width and --height (pixels)");
        int multiple = VaeScale * family.PatchSize;
        if (pixelsWide <= 0 || pixelsHigh <= 0 || pixelsWide % multiple != 0 || pixelsHigh % multiple != 0)
            throw new UsageException($"--width {pixelsWide} / --height {pixelsHigh}: each must be a positive multiple of {multiple} (8 · patch_size)");
        if (seedValue < 0) throw new UsageException($"--seed must not be negative, got {seedValue}");
        int[] latentShape = [1, family.InChannels, pixelsHigh / VaeScale, pixelsWide / VaeScale];
        var noise = TorchRandn.Randn(new TorchGenerator((ulong)seedValue!.Value), latentShape.Aggregate(1L, (a, b) => a * b));
        return (noise, latentShape);
    }
}
