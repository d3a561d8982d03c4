using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RasNative.Cli.Generation;
using RasNative.Cli.Images;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Runtime.Models;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Random;

namespace RasNative.Cli.Commands;

/// <summary>
/// generate: the model's denoising loop with RAS, from a prompt (SD3/SD3.5: tokenizers → text encoders, released → transformer)
/// or from text embeddings (SD3/SD3.5, Lumina-Next) to final latents.
/// </summary>
public static class GenerateCommand
{
    const int MaxSteps = 10_000;
    const int MaxImages = 1024;

    /// <summary>Host bytes a run keeps per step (schedule, RAS plan and selection state), for the --steps bound.</summary>
    const long HostBytesPerStep = 64;

    public static Command Create()
    {
        var model = new ModelOptions();
        var embeddings = new Option<string?>("--embeddings") { Description = "instead of --prompt: the pipeline's prompt tensors (SD3: prompt_embeds, pooled_prompt_embeds and negatives, as encode writes them; Lumina: prompt_embeds, prompt_attention_mask and negatives)" };
        var text = new TextOptions();
        var images = CliOptions.Number<int>("--num-images", "images from the prompt (num_images_per_prompt; their noise one randn [N, C, h, w] from the seed)", 1, MaxImages, defaultValue: _ => 1);
        var steps = CliOptions.Number<int>("--steps", "sampler steps", 1, MaxSteps, defaultValue: _ => 28);
        var guidance = CliOptions.Number<float?>("--guidance", "classifier-free guidance scale, ≥ 0; > 1 needs the negative embeddings (default: SD3 7, Lumina 4)", 0, 1e4);
        var latents = new Option<string?>("--latents") { Description = "initial noise: tensor 'latents' [1, C, H, W], used as is" };
        var seed = CliOptions.Number<long?>("--seed", "draw the initial noise as torch.randn with a seeded CPU generator (default: a random seed, printed and recorded)", 0);
        var width = CliOptions.Number<int?>("--width", "image width in pixels (latent = width / the VAE's scale, 8 without a VAE; default: the transformer's sample_size · that scale)", 1, 1 << 16);
        var height = CliOptions.Number<int?>("--height", "image height in pixels (latent = height / the VAE's scale; default: the transformer's sample_size · that scale)", 1, 1 << 16);
        var shift = CliOptions.Number<double?>("--shift", "scheduler shift, > 0 (default: the pipeline's scheduler config, else SD3 3.0, Lumina 1.0)", 0, 1e6, minExclusive: true);
        var watershed = CliOptions.Number<double>("--scaling-watershed", "Lumina: RoPE linear scaling below this model timestep, NTK above; in [0, 1]", 0, 1, defaultValue: _ => 1.0);
        var proportional = new Option<bool>("--proportional-attn") { Description = "Lumina: proportional attention (true|false)", DefaultValueFactory = _ => true, Arity = ArgumentArity.ExactlyOne };
        var output = new Option<string>("--output") { Description = "FILE.png: the image, decoded by the pipeline's VAE (or --vae DIR; NAME-0.png, NAME-1.png, … for --num-images > 1); FILE.safetensors: tensor 'latents'", Required = true };
        var trace = new Option<string?>("--trace") { Description = "also write latents_stepNN_out, active_patches_stepNN, final_latents (and, with --prompt, the ids and embeddings)" };
        var heatmap = new Option<string?>("--ras-heatmap") { Description = "PNG of how often each patch was computed" };
        var ras = new RasFlags();
        var backendOptions = new BackendOptions();
        var vaeOptions = new VaeOptions();
        var command = new Command("generate", "Denoise from a prompt or text embeddings with FlowMatch Euler, CFG and Region-Adaptive Sampling.");
        model.AddTo(command, componentOverrides: true);
        text.AddTo(command);
        foreach (var option in new Option[] { embeddings, images, steps, guidance, latents, seed, width, height, shift, watershed, proportional, output, trace, heatmap })
            command.Options.Add(option);
        ras.AddTo(command);
        backendOptions.AddTo(command);
        vaeOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            var clock = Stopwatch.StartNew();
            int stepCount = parsed.GetValue(steps), imageCount = parsed.GetValue(images);
            string modelPath = parsed.GetValue(model.Model)!;
            string? embeddingsPath = parsed.GetValue(embeddings);
            bool fromPrompt = text.HasPrompt(parsed);
            RequireOneConditioning(parsed, text, fromPrompt, embeddingsPath);
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
            // A PNG output of several images is NAME-0.png, NAME-1.png, …; the latents file holds the batch.
            var pngOutputs = outputKind == OutputKind.Png ? VaeImages.DeclarePngs(outputs, "--output", parsed.GetValue(output)!, imageCount) : null;
            var latentsOutput = pngOutputs == null ? outputs.Declare("--output", parsed.GetValue(output)!) : null;
            var traceOutput = parsed.GetValue(trace) is { } tracePath ? outputs.Declare("--trace", tracePath) : null;
            var heatmapOutput = parsed.GetValue(heatmap) is { } heatmapPath ? outputs.Declare("--ras-heatmap", heatmapPath) : null;
            if (traceOutput != null && imageCount > 1) throw new UsageException("--trace records one image's steps; use it with --num-images 1");

            IGenerationModel family = ModelLoader.IsLumina(transformer)
                ? new LuminaGeneration(transformer, new LuminaPipelineOptions(parsed.GetValue(watershed), parsed.GetValue(proportional)))
                : new Sd3Generation(transformer);
            float guidanceScale = parsed.GetValue(guidance) ?? family.DefaultGuidance;
            PromptEncoding? encoding = null;
            int textTokens;
            if (fromPrompt)
            {
                if (family is not Sd3Generation sd3) throw EncodeCommand.GemmaOutOfScope(transformer);
                encoding = PromptEncoding.Prepare(source, text, parsed, guidanceScale > 1f, () => sd3.JointAttentionDim);
                foreach (var warning in encoding.Warnings) Console.Error.WriteLine("warning: " + warning);
                textTokens = encoding.TextTokens;
            }
            else
            {
                using var embeddingFile = InputTensors.Open(embeddingsPath!);
                textTokens = family.ReadConditioning(embeddingFile, guidanceScale);
            }
            int vaeScale = vae?.Config.SpatialScale ?? VaeImages.DefaultSpatialScale;
            var (shape, seedValue) = LatentShape(parsed, latents, seed, width, height, family, imageCount, vaeScale);
            if (outputKind == OutputKind.Png)
            {
                vae!.RequireLatentChannels(family.InChannels, $"the transformer's latent ({transformer.ConfigSource}, in_channels)");
                vae.RequireRgb();
            }
            int rows = shape[2] / family.PatchSize, columns = shape[3] / family.PatchSize;
            RequireStepsFit(stepCount, shape, rows * columns, traceOutput);
            var rasOptions = ras.Build(parsed, stepCount, rows * columns, family.DefaultRas(stepCount, rows * columns));
            var settings = new GenerationSettings(stepCount, guidanceScale,
                parsed.GetValue(shift) ?? ModelLoader.SchedulerShift(source, family.DefaultShift), rasOptions);
            RequireStagesFit(parsed, backendOptions, family, encoding, new TokenShape(settings.UsesGuidance ? 2 : 1, rows * columns, textTokens), rasOptions.SampleRatio < 1);
            if (outputKind == OutputKind.Png)
                vae!.RequireHostFits(imageCount, shape[2], shape[3], vaeOptions.Get(parsed), cpu: parsed.GetValue(backendOptions.Backend) == "cpu");
            if (parsed.GetValue(seed) == null && parsed.GetValue(latents) == null)
                Console.Error.WriteLine($"generate: seed {seedValue} (random; give --seed {seedValue} to repeat this run)");
            var noise = seedValue is { } s
                ? TorchRandn.Randn(new TorchGenerator((ulong)s), shape.Aggregate(1L, (a, b) => a * b))
                : ReadLatents(parsed.GetValue(latents)!, shape);

            using var traceFile = traceOutput == null ? null : new SafetensorsStreamWriter(traceOutput.Target);
            var map = new PatchHeatmap(rows, columns);
            long computed = 0;
            int rasSteps = 0;
            var stages = (encoding == null ? [] : TextStages.For(encoding)).Append(new PipelineProgress.Stage(DenoiseStage, imageCount * stepCount)).ToArray();
            string backendName = parsed.GetValue(backendOptions.Backend)!;
            var final = PipelineProgress.Run(stages, progress =>
            {
                if (encoding != null)
                {
                    var prompt = encoding.Encode(() => backendOptions.Create(parsed), imageCount, kind => progress.Start(TextStages.Name(kind)));
                    // One prompt per run: its num_images_per_prompt rows are copies, so every image uses row 0.
                    ((Sd3Generation)family).UseConditioning(prompt.Row(0));
                    foreach (var tensor in PromptTensors.Of(prompt, encoding.Ids)) traceFile?.Add(tensor.Name, tensor.DType, tensor.Shape, tensor.Data.Span);
                }
                progress.Start(DenoiseStage);
                using var backend = backendOptions.Create(parsed);
                return family.Sample(backend, noise, shape, settings, report =>
                {
                    progress.Step(report);
                    map.Record(report.ActivePatches);
                    computed += report.ActivePatches?.Length ?? report.Patches;
                    if (report.ActivePatches != null) rasSteps++;
                    traceFile?.Add($"latents_step{report.Step:00}_out", report.Latents, [1, .. shape[1..].Select(d => (long)d)]);
                    if (report.ActivePatches is { } active)
                        traceFile?.Add($"active_patches_step{report.Step:00}", [.. active.Select(i => (long)i)], active.Length);
                });
            });

            var parameters = new GenerationParameters(modelPath, fromPrompt ? parsed.GetValue(text.Prompt) : null, fromPrompt ? text.RecordedNegative(parsed) : null,
                settings, seedValue, shape[3] * vaeScale, shape[2] * vaeScale, backendName, backendOptions.DTypeName(parsed))
            {
                Images = imageCount,
                Vae = parsed.GetValue(model.Vae),
                Text = encoding == null ? null : text.Record(parsed, encoding.Ids.HasT5),
            };
            var metadata = parameters.ToMetadata();
            if (outputKind == OutputKind.Png)
            {
                // The transformer's backend is gone (its weights with it); the decode gets its own.
                using var decodeBackend = backendOptions.Create(parsed);
                var sample = vae!.Decode(decodeBackend, final, shape, unscale: true, vaeOptions.Get(parsed));
                VaeImages.WritePngs(outputs, pngOutputs!, sample, shape[2] * vaeScale, shape[3] * vaeScale, parameters.ToA1111());
            }
            else
            {
                var result = new OutputFile();
                result.Add("latents", final, shape);
                result.Write(outputs, latentsOutput!, metadata);
            }
            if (traceFile != null)
            {
                traceFile.Add("final_latents", final, [.. shape.Select(d => (long)d)]);
                outputs.Write(traceOutput!, stream => traceFile.WriteTo(stream, metadata));
            }
            if (heatmapOutput != null) outputs.Write(heatmapOutput, map.WritePng);
            outputs.Commit();

            long evaluations = (long)imageCount * stepCount * rows * columns;
            RunSummary.Print("generate", outputKind == OutputKind.Png
                ? $"{string.Join(", ", pngOutputs!.Select(o => o.Path))} ({imageCount} × {shape[3] * vaeScale}×{shape[2] * vaeScale} image{(imageCount > 1 ? "s" : "")})"
                : $"{latentsOutput!.Path} (latents [{string.Join(", ", shape)}])",
                $"{(imageCount > 1 ? $"{imageCount} images × " : "")}{stepCount} steps ({imageCount * stepCount - rasSteps} dense, {rasSteps} RAS; " +
                $"{computed} of {evaluations} patch evaluations); RAS {(rasOptions.SampleRatio >= 1 ? "off" : $"ratio {rasOptions.SampleRatio.ToString(CultureInfo.InvariantCulture)}")}; seed {(seedValue is { } used ? used.ToString(CultureInfo.InvariantCulture) : "none (--latents)")}", clock);
            return 0;
        }));
        return command;
    }

    const string DenoiseStage = "denoise";

    /// <summary>--prompt (encoded here) or --embeddings (encoded before), exactly one; the other text flags only with --prompt.</summary>
    static void RequireOneConditioning(ParseResult parsed, TextOptions text, bool fromPrompt, string? embeddingsPath)
    {
        if (fromPrompt && embeddingsPath != null)
            throw new UsageException("--prompt and --embeddings exclude each other: give the prompt, or the embeddings encode made from one");
        if (!fromPrompt && embeddingsPath == null)
            throw new UsageException("give --prompt TEXT (encoded with the model's text encoders) or --embeddings FILE (prompt_embeds and pooled_prompt_embeds)");
        if (!fromPrompt && text.OtherGivenFlags(parsed).FirstOrDefault() is { } flag)
            throw new UsageException($"{flag} goes with --prompt; --embeddings were encoded already");
    }

    /// <summary>
    /// The latent shape [N, C, H, W] from --latents, or from the seed (--seed, else a random one) with --width/--height
    /// (default: the transformer's sample_size · 8, as diffusers). The noise itself is drawn after the memory checks.
    /// </summary>
    static (int[] Shape, long? Seed) LatentShape(ParseResult parsed, Option<string?> latents, Option<long?> seed,
        Option<int?> width, Option<int?> height, IGenerationModel family, int images, int vaeScale)
    {
        string? latentsPath = parsed.GetValue(latents);
        long? seedValue = parsed.GetValue(seed);
        if (latentsPath != null)
        {
            if (seedValue != null) throw new UsageException("give --latents FILE or --seed S, not both");
            if (parsed.GetValue(width) != null || parsed.GetValue(height) != null)
                throw new UsageException("--width/--height size the noise drawn from a seed; --latents brings its own size");
            using var file = InputTensors.Open(latentsPath);
            var shape = file.Shape("latents", 4);
            if (shape[0] != images || shape[1] != family.InChannels)
                throw new UsageException($"{latentsPath}: tensor 'latents' has shape [{string.Join(", ", shape)}], expected [{images}, {family.InChannels}, H, W] (--num-images {images})");
            if (shape[2] % family.PatchSize != 0 || shape[3] % family.PatchSize != 0)
                throw new UsageException($"{latentsPath}: latent {shape[2]}x{shape[3]} is not a multiple of patch_size {family.PatchSize}");
            return (shape, null);
        }
        int pixelsWide = parsed.GetValue(width) ?? family.SampleSize * vaeScale;
        int pixelsHigh = parsed.GetValue(height) ?? family.SampleSize * vaeScale;
        int multiple = vaeScale * family.PatchSize;
        if (pixelsWide % multiple != 0 || pixelsHigh % multiple != 0)
            throw new UsageException($"--width {pixelsWide} / --height {pixelsHigh}: each must be a multiple of {multiple} (the VAE's scale {vaeScale} · patch_size {family.PatchSize})");
        return ([images, family.InChannels, pixelsHigh / vaeScale, pixelsWide / vaeScale], seedValue ?? Random.Shared.NextInt64(0, 1L << 32));
    }

    static float[] ReadLatents(string path, int[] shape)
    {
        using var file = InputTensors.Open(path);
        var values = file.Read("latents", 4);
        return values.Length == shape.Aggregate(1L, (a, b) => a * b) ? values : throw new UsageException($"{path}: tensor 'latents' changed while reading");
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

    /// <summary>
    /// The run's peak, refused with its figure before anything loads: the stages run one after another, each releasing its
    /// memory (every text encoder, then the transformer with its forward arena and RAS caches), so each must fit on its own
    /// in the backend's memory (host memory for cpu, free GPU memory for cuda).
    /// </summary>
    static void RequireStagesFit(ParseResult parsed, BackendOptions backendOptions, IGenerationModel family, PromptEncoding? encoding, TokenShape tokens, bool ras)
    {
        string backend = parsed.GetValue(backendOptions.Backend)!;
        string what = $"denoising {tokens.ImageTokens} patches × batch {tokens.Batch} on the {backend} backend";
        long activations = family.ActivationElements(tokens, ras);
        if (activations == long.MaxValue) throw new UsageException($"{what}: one activation buffer would exceed {int.MaxValue} elements; use a smaller image");
        int computeBytes = backendOptions.ComputeBytes(parsed);
        var (available, where) = backendOptions.Available(parsed);
        foreach (var stage in (encoding?.Stages(computeBytes) ?? []).Append(new StageMemory(what, family.WeightBytes(computeBytes), computeBytes * activations)))
            stage.Require(available, where);
    }
}
