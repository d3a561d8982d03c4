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
        var model = new Option<string>("--model") { Description = "model folder, or random:<preset> (" + string.Join(", ", ModelPresets.Names) + ")", Required = true };
        var inputs = new Option<string?>("--inputs") { Description = "forward inputs (hidden_states, encoder_hidden_states, pooled_projections, timestep); default random" };
        var width = new Option<int?>("--width") { Description = "image width in pixels (latent = width / 8; default sample_size · 8)" };
        var height = new Option<int?>("--height") { Description = "image height in pixels" };
        var batch = new Option<int>("--batch") { Description = "transformer batch (2 = under guidance)", DefaultValueFactory = _ => 2 };
        var textLength = new Option<int>("--text-len") { Description = "text tokens", DefaultValueFactory = _ => 77 };
        var steps = new Option<int?>("--steps") { Description = $"also time dense vs RAS sampling over this many steps (default {DefaultSamplerSteps} when RAS flags are given)" };
        var repeat = new Option<int>("--repeat") { Description = "timed forwards after the warm-up", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var save = new Option<string?>("--save") { Description = "write the model folder (random presets) and inputs.safetensors, for other tools to run the same work" };
        var ras = new RasFlags();
        var backendOptions = new BackendOptions();
        var command = new Command("bench", "Measure forward and sampling speed.");
        foreach (var option in new Option[] { model, inputs, width, height, batch, textLength, steps, repeat, json, save })
            command.Options.Add(option);
        ras.AddTo(command);
        backendOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            int repeats = parsed.GetValue(repeat), batchSize = parsed.GetValue(batch), text = parsed.GetValue(textLength);
            if (repeats < 1 || batchSize < 1 || text < 1) throw new UsageException("--repeat, --batch and --text-len must be at least 1");
            string modelArg = parsed.GetValue(model)!;
            string? saveDir = parsed.GetValue(save);
            var progress = new BenchProgress();

            using var backend = new ProfilingBackend(backendOptions.Create(parsed));
            progress.Say("loading " + modelArg);
            var work = Load(modelArg, backend, inputsPath: parsed.GetValue(inputs),
                new BenchShape(batchSize, text, parsed.GetValue(width), parsed.GetValue(height)), keepWeights: saveDir != null);
            if (saveDir != null) work.Save(saveDir);

            progress.Say("warm-up forward");
            work.Forward();
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

            progress.Say("measuring the FMA peak");
            double peak = CpuFmaPeak.MeasureGflops();
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
                PercentOfPeak = 100 * flops / 1e9 / (median / 1e3) / peak,
                OpMs = opMs,
                PeakMemoryMib = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
                Ras = rasReport,
                Counters = forwardCounters,
                RasStepCounters = rasStepCounters,
            };
            progress.Done();
            if (parsed.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report));
            else BenchTable.Print(report);
            return 0;
        }));
        return command;
    }

    static IBenchWorkload Load(string modelArg, ProfilingBackend backend, string? inputsPath, BenchShape shape, bool keepWeights)
    {
        if (ModelPresets.IsPreset(modelArg))
        {
            switch (ModelPresets.Get(modelArg))
            {
                case Sd3TransformerConfig sd3:
                    var sd3Weights = new RandomWeights(seed: 0, keep: keepWeights);
                    return new Sd3Workload(backend, sd3, Sd3Transformer.Load(sd3Weights, sd3, backend), sd3Weights, inputsPath, shape);
                case LuminaNextConfig lumina:
                    var luminaWeights = new RandomWeights(seed: 0, keep: keepWeights, LuminaNextTransformer.HasBias);
                    return new LuminaWorkload(backend, lumina, LuminaNextTransformer.Load(luminaWeights, lumina, backend), luminaWeights, inputsPath, shape);
            }
        }
        var folder = ModelLoader.Resolve(modelArg);
        if (ModelLoader.IsLumina(folder))
        {
            var config = ModelLoader.LuminaConfig(folder);
            return new LuminaWorkload(backend, config, ModelLoader.LoadLumina(folder, config, backend), null, inputsPath, shape);
        }
        var sd3Config = ModelLoader.Sd3Config(folder);
        return new Sd3Workload(backend, sd3Config, ModelLoader.LoadSd3(folder, sd3Config, backend), null, inputsPath, shape);
    }

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

        var denseRun = Run(rasOptions with { SampleRatio = 1.0 }, "dense");
        var rasRun = Run(rasOptions, "ras");
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
