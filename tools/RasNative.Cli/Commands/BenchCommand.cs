using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using RasNative.Cli.Bench;
using RasNative.Cli.Infrastructure;
using RasNative.Cuda;
using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Models.Vae;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Models.TextEncoders.Clip;
using RasNative.Runtime.Models.TextEncoders.T5;
using RasNative.Sampler.Ras;

namespace RasNative.Cli.Commands;

/// <summary>
/// bench: timing of the transformer forward (median/min/max after a warm-up, GFLOP/s against the measured
/// FMA peak, time per op class, peak memory) and, with --steps or RAS flags, dense vs RAS sampling side by side.
/// </summary>
public static class BenchCommand
{
    const int DefaultSamplerSteps = 10;
    const float SamplerGuidance = 5f;

    public static Command Create()
    {
        var model = new ModelOptions(ModelOptions.ModelDescription + ", or random:<preset> (" + string.Join(", ", ModelPresets.Names) + ")");
        var inputs = new Option<string?>("--inputs") { Description = "forward inputs (hidden_states, encoder_hidden_states, pooled_projections, timestep); default random" };
        var width = CliOptions.Number<int?>("--width", "image width in pixels (latent = width / 8; default sample_size · 8)", 1, 1 << 16);
        var height = CliOptions.Number<int?>("--height", "image height in pixels", 1, 1 << 16);
        var batch = CliOptions.Number<int>("--batch", "transformer batch (2 = under guidance)", 1, 1024, defaultValue: _ => 2);
        var textLength = CliOptions.Number<int>("--text-len", "text tokens", 1, 1 << 16, defaultValue: _ => 77);
        var steps = CliOptions.Number<int?>("--steps", $"also time dense vs RAS sampling over this many steps (default {DefaultSamplerSteps} when RAS flags are given)", 1, 10_000);
        var repeat = CliOptions.Number<int>("--repeat", "timed forwards after the warm-up", 1, 10_000, defaultValue: _ => 5);
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var save = new Option<string?>("--save") { Description = "write the model folder (random presets) and inputs.safetensors, for other tools to run the same work" };
        var weightDType = new Option<string?>("--weight-dtype") { Description = "random presets: the dtype the weights are stored in (" + string.Join(" | ", WeightDTypes.Keys) + "; default f32)" };
        weightDType.AcceptOnlyFromAmong([.. WeightDTypes.Keys]);
        var ras = new RasFlags();
        var backendOptions = new BackendOptions();
        var command = new Command("bench", "Measure forward and sampling speed.");
        model.AddTo(command);
        foreach (var option in new Option[] { inputs, width, height, batch, textLength, steps, repeat, json, save, weightDType })
            command.Options.Add(option);
        ras.AddTo(command);
        backendOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            int repeats = parsed.GetValue(repeat), batchSize = parsed.GetValue(batch), text = parsed.GetValue(textLength);
            string modelArg = parsed.GetValue(model.Model)!;
            string? saveDir = parsed.GetValue(save);
            string? storageName = parsed.GetValue(weightDType);
            if (storageName != null && !ModelPresets.IsPreset(modelArg))
                throw new UsageException($"--weight-dtype {storageName}: only random:<preset> models take it (a checkpoint's weights keep their own dtype)");
            if (ModelPresets.IsPreset(modelArg) && ModelPresets.Get(modelArg) is ClipTextConfig or T5EncoderConfig)
                RequireTextEncoderFits(parsed, ras, steps, modelArg, WeightDTypes[storageName ?? "f32"]);
            var progress = new BenchProgress();

            using var backend = new ProfilingBackend(backendOptions.Create(parsed));
            progress.Say("loading " + modelArg);
            var storage = WeightDTypes[storageName ?? "f32"];
            var shape = new BenchShape(batchSize, text, parsed.GetValue(width), parsed.GetValue(height)) { TextTokensGiven = parsed.GetResult(textLength) is { Implicit: false } };
            var work = Load(parsed, model, backend, inputsPath: parsed.GetValue(inputs), shape, keepWeights: saveDir != null, storage,
                vaeBatch: parsed.GetResult(batch) is { Implicit: false } ? batchSize : 1);
            if (work is VaeWorkload && (parsed.GetValue(steps) != null || HasRasFlags(parsed, ras))) throw VaeWorkload.SamplingRefused();
            if (saveDir != null) work.Save(saveDir);

            JitWarmup.Run(() =>
            {
                work.WarmUp();
                backend.Synchronize();
            }, run => progress.Say($"warm-up {run}"));
            var times = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                progress.Say($"forward {r + 1}/{repeats}");
                var clock = Stopwatch.StartNew();
                work.Forward();
                backend.Synchronize();
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            // Counted before the profiled pass, which synchronises after every op.
            var counters = (backend.Inner as CudaBackend)?.Calls.Counters;
            CounterReport? forwardCounters = null;
            if (counters != null)
            {
                progress.Say("counting one forward");
                counters.Reset();
                work.Forward();
                forwardCounters = CounterReport.From(counters.Snapshot());
            }
            backend.Reset();
            backend.Enabled = true;
            work.Forward();
            backend.Enabled = false;
            double flops = backend.Flops;
            var opMs = OpMilliseconds(backend);

            int? samplerSteps = parsed.GetValue(steps) ?? (HasRasFlags(parsed, ras) ? DefaultSamplerSteps : null);
            var rasOptions = samplerSteps is { } n ? ras.Build(parsed, n, work.ImageTokens, work.DefaultRas(n)) : null;
            RasBenchReport? rasReport = rasOptions != null ? CompareSampling(work, backend, rasOptions, samplerSteps!.Value, progress) : null;
            CounterReport? rasStepCounters = counters != null && rasOptions != null ? CountRasStep(work, counters, rasOptions, samplerSteps!.Value, progress) : null;

            var (peak, peakBasis) = MeasurePeak(backend, progress);
            times.Sort();
            double median = times[times.Count / 2];
            var report = new BenchReport
            {
                Model = modelArg,
                Backend = backend.Name,
                Batch = work.LatentShape[0],
                Latent = work.LatentShape,
                ImageTokens = work.ImageTokens,
                TextTokens = work.TextTokens,
                Repeat = repeats,
                MedianMs = median,
                MinMs = times[0],
                MaxMs = times[^1],
                GflopPerForward = flops / 1e9,
                Gflops = flops / 1e9 / (median / 1e3),
                PeakGflops = peak,
                PeakBasis = peakBasis,
                PercentOfPeak = peak is { } p ? 100 * flops / 1e9 / (median / 1e3) / p : null,
                OpMs = opMs,
                OpGflops = OpGflops(backend),
                PeakMemoryMib = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
                WeightsMib = work.WeightBytes / 1048576.0,
                WeightDType = ModelPresets.IsPreset(modelArg) ? storage.ToSafetensorsName() : "checkpoint",
                Ras = rasReport,
                Counters = forwardCounters,
                RasStepCounters = rasStepCounters,
                ImagePixels = (work as VaeWorkload)?.ImagePixels,
            };
            progress.Done();
            if (parsed.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report));
            else BenchTable.Print(report);
            return 0;
        }));
        return command;
    }

    /// <summary>--weight-dtype values: the safetensors dtypes a random preset can store its weights in.</summary>
    static readonly Dictionary<string, DType> WeightDTypes = new()
    {
        ["f32"] = DType.F32, ["bf16"] = DType.BF16, ["f16"] = DType.F16, ["f8_e4m3"] = DType.F8_E4M3, ["f8_e5m2"] = DType.F8_E5M2,
    };

    /// <param name="vaeBatch">Images a VAE workload decodes: --batch when given, else 1 (the transformer's default 2 is the guidance batch).</param>
    static IBenchWorkload Load(ParseResult parsed, ModelOptions model, ProfilingBackend backend, string? inputsPath, BenchShape shape, bool keepWeights, DType storage,
        int vaeBatch)
    {
        string modelArg = parsed.GetValue(model.Model)!;
        if (ModelPresets.IsPreset(modelArg))
        {
            if (parsed.GetValue(model.Config) != null) throw new UsageException($"--config: {modelArg} is a preset with its own config");
            switch (ModelPresets.Get(modelArg))
            {
                case Sd3TransformerConfig sd3:
                    var sd3Weights = new RandomWeights(seed: 0, keepWeights, storage);
                    return new Sd3Workload(backend, Sd3Transformer.Load(sd3Weights, sd3, backend), sd3Weights, inputsPath, shape);
                case LuminaNextConfig lumina:
                    var luminaWeights = new RandomWeights(seed: 0, keepWeights, storage);
                    return new LuminaWorkload(backend, LuminaNextTransformer.Load(luminaWeights, lumina, backend), luminaWeights, inputsPath, shape);
                case AutoencoderKlConfig vae:
                    var vaeWeights = new RandomWeights(seed: 0, keepWeights, storage);
                    return new VaeWorkload(VaeDecoder.Load(vaeWeights, vae, backend), vaeWeights, inputsPath, shape, vaeBatch);
                case ClipTextConfig clip:
                    RequireNoInputs(inputsPath, modelArg);
                    var clipWeights = new RandomWeights(seed: 0, keepWeights, storage);
                    return TextEncoderWorkload.Clip(backend, ClipTextModel.Load(clipWeights, clip, backend), clipWeights, shape.Batch, shape.TextTokensGiven ? shape.TextTokens : null);
                case T5EncoderConfig t5:
                    RequireNoInputs(inputsPath, modelArg);
                    var t5Weights = new RandomWeights(seed: 0, keepWeights, storage);
                    return TextEncoderWorkload.T5(backend, T5Encoder.Load(t5Weights, t5, backend), t5Weights, shape.Batch, shape.TextTokensGiven ? shape.TextTokens : null);
            }
        }
        var source = model.Open(parsed);
        // A VAE folder (or a file holding only a VAE) benches the decode.
        if (!source.Has(PipelineComponent.Transformer) && source.Has(PipelineComponent.Vae))
            return new VaeWorkload(VaeDecoder.Load(source.Get(PipelineComponent.Vae), backend), null, inputsPath, shape, vaeBatch);
        var transformer = ModelLoader.Transformer(source);
        if (ModelLoader.IsLumina(transformer))
        {
            return new LuminaWorkload(backend, LuminaNextTransformer.Load(transformer, backend), null, inputsPath, shape);
        }
        return new Sd3Workload(backend, Sd3Transformer.Load(transformer, backend), null, inputsPath, shape);
    }

    /// <summary>
    /// Before a text encoder preset's random weights are generated: no sampling flags (an encoder does not sample), and
    /// the weights must fit in host memory (T5-XXL in f32 is 19 GB).
    /// </summary>
    static void RequireTextEncoderFits(ParseResult parsed, RasFlags ras, Option<int?> steps, string model, DType storage)
    {
        if (parsed.GetValue(steps) != null || HasRasFlags(parsed, ras))
            throw new UsageException($"--steps and the RAS flags time a sampling run; {model} is a text encoder, which runs one forward per prompt");
        long parameters = ModelPresets.Get(model) switch
        {
            ClipTextConfig clip => ClipTextModel.ParameterCount(clip),
            T5EncoderConfig t5 => T5Encoder.ParameterCount(t5),
            _ => 0,
        };
        MemoryBudget.Require($"bench {model} with {storage.ToSafetensorsName()} weights", [("weights", parameters * storage.ElementSize())],
            MemoryBudget.AvailableHostBytes(), "host memory");
    }

    static void RequireNoInputs(string? inputsPath, string model)
    {
        if (inputsPath != null) throw new UsageException($"--inputs: {model} is a text encoder; it runs on random token ids (--batch, --text-len)");
    }

    /// <summary>
    /// The ceiling the speed is stated against: on the CPU its FMA peak measured at the kernels' own vector width, on a
    /// GPU the device's peak for the compute dtype (tensor cores for 16-bit, CUDA-core FMAs for fp32), never the CPU's.
    /// </summary>
    static (double? Gflops, string? Basis) MeasurePeak(ProfilingBackend backend, BenchProgress progress)
    {
        switch (backend.Inner)
        {
            case CudaBackend cuda when cuda.Peak is { } device:
                bool emulated = cuda.Device.Name.Contains("emulator", StringComparison.OrdinalIgnoreCase);
                return (device.Gflops, device.Basis + (emulated ? "; emulated, so the time is the CPU's" : ""));
            case CudaBackend:
                return (null, null);
            default:
                progress.Say($"measuring the {CpuFmaPeak.VectorBits}-bit FMA peak");
                return (CpuFmaPeak.MeasureGflops(), $"{CpuFmaPeak.VectorBits}-bit FMA peak");
        }
    }

    /// <summary>GFLOP/s of the op classes that do counted arithmetic, each over its own time.</summary>
    static Dictionary<string, double> OpGflops(ProfilingBackend backend) =>
        new[] { ("gemm", OpClass.Gemm), ("attention", OpClass.Attention) }
            .Where(op => backend.Seconds(op.Item2) > 0)
            .ToDictionary(op => op.Item1, op => backend.FlopsOf(op.Item2) / backend.Seconds(op.Item2) / 1e9);

    static Dictionary<string, double> OpMilliseconds(ProfilingBackend backend) => new()
    {
        ["gemm"] = backend.Seconds(OpClass.Gemm) * 1e3,
        ["attention"] = backend.Seconds(OpClass.Attention) * 1e3,
        ["elementwise"] = backend.Seconds(OpClass.Elementwise) * 1e3,
    };

    static bool HasRasFlags(ParseResult parsed, RasFlags ras) =>
        new System.CommandLine.Option[] { ras.Ratio, ras.Start, ras.End, ras.Reset, ras.Metric, ras.HighRatio, ras.StarvationScale, ras.SkipNumStep, ras.SkipNumStepLength }
            .Any(o => parsed.GetResult(o) != null);

    /// <summary>The same sampling run dense and with RAS; RAS bookkeeping = step time not spent in backend ops.</summary>
    static RasBenchReport CompareSampling(IBenchWorkload work, ProfilingBackend backend, RasOptions rasOptions, int steps, BenchProgress progress)
    {
        // Both runs go through the op profiler, so they carry the same accounting overhead.
        (List<double> Dense, List<double> Ras, double Total, long Tokens, double OpMs) Run(RasOptions options, string label)
        {
            var dense = new List<double>();
            var rasSteps = new List<double>();
            long tokens = 0;
            backend.Reset();
            backend.Enabled = true;
            var clock = Stopwatch.StartNew();
            work.Sample(steps, options, report =>
            {
                progress.Say($"{label} step {report.Step + 1}/{report.Steps}");
                (report.ActivePatches == null ? dense : rasSteps).Add(report.Elapsed.TotalMilliseconds);
                tokens += report.ActivePatches?.Length ?? report.Patches;
            });
            double total = clock.Elapsed.TotalMilliseconds;
            backend.Enabled = false;
            return (dense, rasSteps, total, tokens, OpMilliseconds(backend).Values.Sum());
        }

        // ABBA order (dense, RAS, RAS, dense), the faster of each pair kept: neither side is always measured first,
        // so warm-up and drift favour neither.
        var dense = rasOptions with { SampleRatio = 1.0 };
        var first = Run(dense, "dense");
        var rasFirst = Run(rasOptions, "ras");
        var rasSecond = Run(rasOptions, "ras (2)");
        var second = Run(dense, "dense (2)");
        var denseRun = first.Total <= second.Total ? first : second;
        var rasRun = rasFirst.Total <= rasSecond.Total ? rasFirst : rasSecond;
        return new RasBenchReport
        {
            Steps = steps,
            Ratio = rasOptions.SampleRatio,
            DenseStepMs = Median(denseRun.Dense),
            RasStepMs = Median(rasRun.Ras),
            DenseRunMs = denseRun.Total,
            RasRunMs = rasRun.Total,
            Speedup = denseRun.Total / rasRun.Total,
            TokenFraction = (double)rasRun.Tokens / ((long)steps * work.ImageTokens),
            SamplerMs = Math.Max(0, rasRun.Total - rasRun.OpMs),
        };
    }

    /// <summary>
    /// The counts of the first RAS update step whose previous step was one too, with the same active count (so
    /// both ran the same shapes): an unprofiled sampling run, counters reset after every step. Null when the
    /// schedule has no such step.
    /// </summary>
    static CounterReport? CountRasStep(IBenchWorkload work, CudaCounters counters, RasOptions options, int steps, BenchProgress progress)
    {
        CounterReport? chosen = null;
        int? previousActive = null;
        counters.Reset();
        work.Sample(steps, options, report =>
        {
            progress.Say($"counting step {report.Step + 1}/{report.Steps}");
            var snapshot = counters.Snapshot();
            counters.Reset();
            int? active = report.ActivePatches?.Length;
            if (chosen == null && active != null && active == previousActive) chosen = CounterReport.From(snapshot);
            previousActive = active;
        });
        return chosen;
    }

    static double? Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null : sorted[sorted.Length / 2];
    }
}
