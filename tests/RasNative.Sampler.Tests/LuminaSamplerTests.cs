using System.Text.Json;
using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;
using RasNative.Tests;
using Xunit;

namespace RasNative.Sampler.Tests;

/// <summary>The Lumina-Next denoising loop on the CPU backend against the official RAS code's Lumina runs (fixtures/ras-lumina).</summary>
public class LuminaSamplerTests
{
    // ras-lumina README: transformer outputs and latents within 1e-4 abs for a float32 implementation.
    static readonly double Atol = FixtureBounds.Ras.Atol, Rtol = FixtureBounds.Ras.Rtol;

    static readonly JsonElement RunConfig =
        JsonDocument.Parse(File.ReadAllText(FixturePaths.Get("ras-lumina", "config.json"))).RootElement;

    static GenerationSettings Settings(int steps, RasOptions ras) => new(steps,
        (float)RunConfig.GetProperty("guidance_scale").GetDouble(),
        RunConfig.GetProperty("scheduler_config").GetProperty("shift").GetDouble(), ras);

    static LuminaPipelineOptions PipelineOptions(string run)
    {
        var pipeline = RunConfig.GetProperty("runs").GetProperty(run).GetProperty("pipeline");
        return new LuminaPipelineOptions(pipeline.GetProperty("scaling_watershed").GetDouble(), pipeline.GetProperty("proportional_attn").GetBoolean());
    }

    [Theory]
    [InlineData("ras_lumina_dyn")]
    [InlineData("ras_static_l2")]   // RoPE switches to NTK scaling mid-run while the cache keeps older rotations
    [InlineData("dense")]
    public void OfficialRasRunIsReproduced(string runName)
    {
        using var backend = new CpuBackend();
        OfficialRuns.ReproduceLumina(backend, runName, Atol, Rtol);
    }

    /// <summary>The RoPE factors the pipeline chooses per step, against the trace (linear before the watershed, NTK after).</summary>
    [Theory]
    [InlineData("ras_lumina_dyn")]
    [InlineData("ras_static_l2")]
    public void RopeScalingPerStepMatchesThePipeline(string runName)
    {
        using var trace = RasTrace.Load("ras-lumina", runName);
        var options = PipelineOptions(runName);
        double scalingFactor = trace.Json.GetProperty("derived").GetProperty("scaling_factor").GetDouble();
        for (int step = 0; step < trace.Steps; step++)
        {
            var expected = trace.Step(step);
            float modelTimestep = trace.Float32("model_timestep_stepNN", step)[0];
            Assert.Equal(1f - (float)expected.GetProperty("timestep").GetDouble() / 1000f, modelTimestep);
            var scaling = LuminaRopeScaling.ForStep(modelTimestep, options.ScalingWatershed, scalingFactor);
            Assert.Equal(expected.GetProperty("rope_linear_factor").GetDouble(), scaling.LinearFactor);
            Assert.Equal(expected.GetProperty("rope_ntk_factor").GetDouble(), scaling.NtkFactor);
        }
    }

    [Fact]
    public void SameInputsGiveBitwiseTheSameLatents()
    {
        using var backend = new CpuBackend();
        var model = OfficialRuns.LoadLumina(backend);
        using var embeddings = SafetensorsFile.Open(FixturePaths.Get("ras-lumina", "embeddings.safetensors"));
        using var latentsFile = SafetensorsFile.Open(FixturePaths.Get("ras-lumina", "latents.safetensors"));
        var settings = Settings(8, RasOptions.LuminaDefaults(8, 256) with { StartStep = 2, SampleRatio = 0.4, SkipNumStepLength = 0 });
        var sampler = new LuminaSampler(model, backend);
        int rasSteps = 0;
        float[] Run() => sampler.Run(latentsFile.ReadFloat32("latents"), [1, 4, 32, 32], OfficialRuns.LuminaConditioning(embeddings), settings,
            new LuminaPipelineOptions(ScalingWatershed: 0.5), report => rasSteps += report.ActivePatches != null ? 1 : 0);
        var first = Run();
        Assert.True(rasSteps > 0, "the run made no RAS step");
        Assert.Equal(first, Run());
    }
}
