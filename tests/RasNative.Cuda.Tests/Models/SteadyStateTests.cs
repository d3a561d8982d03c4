using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Models.Sd3;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Tests;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// Repeated generations of the official RAS run (fixtures/ras, RAS with guidance) on the CUDA backend, counted: after
/// the first generation has planned every buffer, no step allocates device memory, the peak of device bytes stays
/// where the first generation left it, and each step synchronises the host once (the velocity's download).
/// </summary>
public class SteadyStateTests
{
    const int Generations = 3;

    [Fact]
    public void RepeatedGenerationsAllocateNothingAndSynchroniseOncePerStep()
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var model = Sd3Transformer.Load(ModelSource.Open(FixturePaths.Get("ras", "model")).Get(PipelineComponent.Transformer), backend);
        using var trace = RasTrace.Load("ras", "ras_std_r025");
        using var embeddings = SafetensorsFile.Open(FixturePaths.Get("ras", "embeddings.safetensors"));
        using var latents = SafetensorsFile.Open(FixturePaths.Get("ras", "latents.safetensors"));
        var sampler = new Sd3Sampler(model, backend);
        var settings = new GenerationSettings(trace.Steps, 5f, 3.0, trace.Options);
        var conditioning = OfficialRuns.Sd3Conditioning(embeddings);
        var initial = latents.ReadFloat32("latents");
        var counters = backend.Calls.Counters;

        float[]? first = null;
        long firstPeak = 0;
        for (int generation = 0; generation < Generations; generation++)
        {
            var steps = new List<CudaCounts>();
            counters.Reset();
            var final = sampler.Run(initial, [1, trace.Channels, trace.Height, trace.Width], conditioning, settings, _ =>
            {
                steps.Add(counters.Snapshot().Totals);
                counters.Reset();
            });
            if (generation == 0)
            {
                first = final;
                firstPeak = steps.Max(s => s.PeakDeviceBytes);
                continue;
            }
            Assert.Equal(first, final);
            for (int s = 0; s < steps.Count; s++)
            {
                var step = steps[s];
                Assert.True(step.Allocations == 0, $"generation {generation} step {s}: {step}");
                Assert.True(step.Syncs <= 1, $"generation {generation} step {s}: {step}");
                Assert.True(step.PeakDeviceBytes <= firstPeak, $"generation {generation} step {s}: peak {step.PeakDeviceBytes} over the first generation's {firstPeak}");
            }
        }
    }
}
