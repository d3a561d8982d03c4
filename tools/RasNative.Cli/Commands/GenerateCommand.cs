using System.CommandLine;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Random;

namespace RasNative.Cli.Commands;

/// <summary>generate: the SD3 denoising loop with RAS, from text embeddings to final latents.</summary>
public static class GenerateCommand
{
    const double DefaultShift = 3.0;
    const int VaeScale = 8;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "transformer folder or diffusers pipeline folder", Required = true };
        var embeddings = new Option<string>("--embeddings") { Description = "prompt_embeds, pooled_prompt_embeds [, negative_prompt_embeds, negative_pooled_prompt_embeds]", Required = true };
        var steps = new Option<int>("--steps") { Description = "sampler steps", DefaultValueFactory = _ => 28 };
        var guidance = new Option<float>("--guidance") { Description = "classifier-free guidance scale (> 1 needs the negative embeddings)", DefaultValueFactory = _ => 7f };
        var latents = new Option<string?>("--latents") { Description = "initial noise: tensor 'latents' [1, C, H, W], used as is" };
        var seed = new Option<long?>("--seed") { Description = "draw the initial noise as torch.randn with a seeded CPU generator" };
        var width = new Option<int?>("--width") { Description = "image width in pixels (latent = width / 8), with --seed" };
        var height = new Option<int?>("--height") { Description = "image height in pixels (latent = height / 8), with --seed" };
        var shift = new Option<double?>("--shift") { Description = "scheduler shift (default: the pipeline's scheduler config, else 3.0)" };
        var output = new Option<string>("--output") { Description = "safetensors to write (tensor 'latents')", Required = true };
        var trace = new Option<string?>("--trace") { Description = "also write latents_stepNN_out, active_patches_stepNN, final_latents" };
        var heatmap = new Option<string?>("--ras-heatmap") { Description = "PNG of how often each patch was computed" };
        var ras = new RasFlags();
        var backendOptions = new BackendOptions();
        var command = new Command("generate", "Denoise from text embeddings with FlowMatch Euler, CFG and Region-Adaptive Sampling.");
        foreach (var option in new Option[] { model, embeddings, steps, guidance, latents, seed, width, height, shift, output, trace, heatmap })
            command.Options.Add(option);
        ras.AddTo(command);
        backendOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            int stepCount = parsed.GetValue(steps);
            float guidanceScale = parsed.GetValue(guidance);
            if (stepCount < 1) throw new UsageException($"--steps must be at least 1, got {stepCount}");
            string outputPath = parsed.GetValue(output)!;
            string? tracePath = parsed.GetValue(trace), heatmapPath = parsed.GetValue(heatmap);
            foreach (var path in new[] { outputPath, tracePath, heatmapPath }.OfType<string>()) AtomicFile.RequireFolder(path);

            var folder = ModelFolder.Resolve(parsed.GetValue(model)!);
            var config = ModelLoader.Sd3Config(folder);
            var (noise, shape) = InitialNoise(parsed, latents, seed, width, height, config);
            int patches = shape[2] / config.PatchSize * (shape[3] / config.PatchSize);
            var rasOptions = ras.Build(parsed, stepCount, patches);
            using var embeddingFile = InputTensors.Open(parsed.GetValue(embeddings)!);
            var text = ReadConditioning(embeddingFile, config, guidanceScale);
            double schedulerShift = parsed.GetValue(shift)
                ?? (folder.SchedulerConfigPath != null ? FlowMatchSchedulerConfig.Load(folder.SchedulerConfigPath).Shift : DefaultShift);

            using var backend = backendOptions.Create(parsed);
            var transformer = ModelLoader.LoadSd3(folder, config, backend);
            var settings = new GenerationSettings(stepCount, guidanceScale, schedulerShift, rasOptions);
            var traceFile = tracePath == null ? null : new OutputFile();
            var map = new PatchHeatmap(shape[2] / config.PatchSize, shape[3] / config.PatchSize);
            var final = StepProgress.Run("generate", stepCount, progress =>
                new Sd3Sampler(transformer, backend).Run(noise, shape, text, settings, report =>
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
        Option<int?> width, Option<int?> height, Sd3TransformerConfig config)
    {
        string? latentsPath = parsed.GetValue(latents);
        long? seedValue = parsed.GetValue(seed);
        if ((latentsPath == null) == (seedValue == null))
            throw new UsageException("give exactly one of --latents FILE or --seed S (with --width/--height)");
        if (latentsPath != null)
        {
            using var file = InputTensors.Open(latentsPath);
            var shape = file.Shape("latents", 4);
            if (shape[0] != 1 || shape[1] != config.InChannels)
                throw new UsageException($"{latentsPath}: tensor 'latents' has shape [{string.Join(", ", shape)}], expected [1, {config.InChannels}, H, W]");
            if (shape[2] % config.PatchSize != 0 || shape[3] % config.PatchSize != 0)
                throw new UsageException($"{latentsPath}: latent {shape[2]}x{shape[3]} is not a multiple of patch_size {config.PatchSize}");
            return (file.Read("latents", 4), shape);
        }
        int pixelsWide = parsed.GetValue(width) ?? throw new UsageException("--seed needs --width and --height (pixels)");
        int pixelsHigh = parsed.GetValue(height) ?? throw new UsageException("--seed needs --width and --height (pixels)");
        int multiple = VaeScale * config.PatchSize;
        if (pixelsWide <= 0 || pixelsHigh <= 0 || pixelsWide % multiple != 0 || pixelsHigh % multiple != 0)
            throw new UsageException($"--width {pixelsWide} / --height {pixelsHigh}: each must be a positive multiple of {multiple} (8 · patch_size)");
        if (seedValue < 0) throw new UsageException($"--seed must not be negative, got {seedValue}");
        int[] latentShape = [1, config.InChannels, pixelsHigh / VaeScale, pixelsWide / VaeScale];
        var noise = TorchRandn.Randn(new TorchGenerator((ulong)seedValue!.Value), latentShape.Aggregate(1L, (a, b) => a * b));
        return (noise, latentShape);
    }

    static TextConditioning ReadConditioning(InputTensors file, Sd3TransformerConfig config, float guidanceScale)
    {
        var prompt = file.Shape("prompt_embeds", 3);
        var pooled = file.Shape("pooled_prompt_embeds", 2);
        if (prompt[0] != 1 || prompt[2] != config.JointAttentionDim)
            throw new UsageException($"prompt_embeds: shape [{string.Join(", ", prompt)}], expected [1, L, {config.JointAttentionDim}] (the model's joint_attention_dim)");
        if (pooled[0] != 1 || pooled[1] != config.PooledProjectionDim)
            throw new UsageException($"pooled_prompt_embeds: shape [{string.Join(", ", pooled)}], expected [1, {config.PooledProjectionDim}]");
        bool hasNegative = file.Contains("negative_prompt_embeds") && file.Contains("negative_pooled_prompt_embeds");
        if (guidanceScale > 1f && !hasNegative)
            throw new UsageException($"--guidance {guidanceScale} needs negative_prompt_embeds and negative_pooled_prompt_embeds in the embeddings file");
        float[]? negative = null, negativePooled = null;
        if (guidanceScale > 1f)
        {
            if (!file.Shape("negative_prompt_embeds", 3).SequenceEqual(prompt))
                throw new UsageException($"negative_prompt_embeds: shape must equal prompt_embeds' [{string.Join(", ", prompt)}]");
            if (!file.Shape("negative_pooled_prompt_embeds", 2).SequenceEqual(pooled))
                throw new UsageException($"negative_pooled_prompt_embeds: shape must equal pooled_prompt_embeds' [{string.Join(", ", pooled)}]");
            (negative, negativePooled) = (file.Read("negative_prompt_embeds", 3), file.Read("negative_pooled_prompt_embeds", 2));
        }
        return new TextConditioning(file.Read("prompt_embeds", 3), file.Read("pooled_prompt_embeds", 2), negative, negativePooled,
            prompt[1], prompt[2], pooled[1]);
    }
}
