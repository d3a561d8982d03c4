using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models.Sd3;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;
using RasNative.Tests;
using Xunit;

namespace RasNative.Sampler.Tests;

/// <summary>The whole denoising loop on the CPU backend against diffusers' pipeline and the official RAS runs.</summary>
public class Sd3SamplerTests
{
    // fixtures/sd3-pipeline README, free-running float32 pipeline: latents within 1e-4 + 1e-5·|ref| (the scheduler
    // fixture's run is one such pipeline; its float32-vs-float64 spread is 1.6e-6).
    const double PipelineAtol = 1e-4, PipelineRtol = 1e-5;

    // fixtures/ras README: a float32 implementation should match the latents to about 1e-4 (absolute).
    const double RasAtol = 1e-4, RasRtol = 0;

    static Sd3Transformer LoadModel(string path, CpuBackend backend)
    {
        return Sd3Transformer.Load(ModelSource.Open(path).Get(PipelineComponent.Transformer), backend);
    }

    static RasOptions Dense(int steps) => RasOptions.Sd3Defaults(steps) with { SampleRatio = 1.0 };

    [Fact]
    public void TenStepPipelineRunMatchesDiffusersStepByStep()
    {
        using var backend = new CpuBackend();
        var model = LoadModel(FixturePaths.Get("sd3", "sd3-tiny"), backend);
        using var run = SafetensorsFile.Open(FixturePaths.Get("scheduler", "denoise_sd3-tiny_cfg5_10steps.safetensors"));
        var latents = run.ReadFloat32("latents_init");
        var settings = new GenerationSettings(10, 5f, 3.0, Dense(10));
        var steps = new List<float[]>();
        var final = new Sd3Sampler(model, backend).Run(latents, [1, 4, 16, 16], OfficialRuns.Sd3Conditioning(run), settings,
            report => steps.Add((float[])report.Latents.Clone()));

        for (int i = 0; i < 10; i++)
            Closeness.AssertClose(run.ReadFloat32($"step{i:00}.latents"), steps[i], PipelineAtol, PipelineRtol, $"step{i:00}.latents");
        Closeness.AssertClose(run.ReadFloat32("latents_final"), final, PipelineAtol, PipelineRtol, "latents_final");
    }

    [Theory]
    [InlineData("ras_std_r025")]
    [InlineData("ras_l2_dyn")]
    [InlineData("dense")]
    public void OfficialRasRunIsReproduced(string runName)
    {
        using var backend = new CpuBackend();
        OfficialRuns.ReproduceSd3(backend, runName, RasAtol, RasRtol);
    }

    [Fact]
    public void SameInputsGiveBitwiseTheSameLatents()
    {
        using var backend = new CpuBackend();
        var model = LoadModel(FixturePaths.Get("ras", "model"), backend);
        using var embeddings = SafetensorsFile.Open(FixturePaths.Get("ras", "embeddings.safetensors"));
        using var latentsFile = SafetensorsFile.Open(FixturePaths.Get("ras", "latents.safetensors"));
        var settings = new GenerationSettings(8, 5f, 3.0, RasOptions.Sd3Defaults(8) with { StartStep = 2, ResetSteps = [5] });
        var sampler = new Sd3Sampler(model, backend);
        float[] Run() => sampler.Run(latentsFile.ReadFloat32("latents"), [1, 4, 24, 24], OfficialRuns.Sd3Conditioning(embeddings), settings);
        Assert.Equal(Run(), Run());
    }

    /// <summary>
    /// Non-square latents (the official code is square-only): RAS steps run, every cached pixel lies in its own
    /// patch's rows and columns (row stride W), and at ratio 1 the loop is exactly the dense sampler.
    /// </summary>
    [Fact]
    public void NonSquareLatentsRunWithRas()
    {
        using var backend = new CpuBackend();
        var model = LoadModel(FixturePaths.Get("ras", "model"), backend);
        using var embeddings = SafetensorsFile.Open(FixturePaths.Get("ras", "embeddings.safetensors"));
        var latents = Enumerable.Range(0, 4 * 16 * 28).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        var sampler = new Sd3Sampler(model, backend);
        int rasSteps = 0;
        var ras = RasOptions.Sd3Defaults(8) with { StartStep = 2, ResetSteps = [5], SampleRatio = 0.4 };
        var withRas = sampler.Run(latents, [1, 4, 16, 28], OfficialRuns.Sd3Conditioning(embeddings), new GenerationSettings(8, 5f, 3.0, ras),
            report =>
            {
                if (report.ActivePatches == null) return;
                rasSteps++;
                Assert.Equal(8 * 14, report.Patches);
                Assert.All(report.ActivePatches, p => Assert.InRange(p, 0, report.Patches - 1));
                Assert.Equal(report.ActivePatches.Length, report.ActivePatches.Distinct().Count());
            });
        Assert.Equal(5, rasSteps);
        Assert.All(withRas, v => Assert.True(float.IsFinite(v)));

        var dense = sampler.Run(latents, [1, 4, 16, 28], OfficialRuns.Sd3Conditioning(embeddings), new GenerationSettings(8, 5f, 3.0, Dense(8)));
        var ratioOne = sampler.Run(latents, [1, 4, 16, 28], OfficialRuns.Sd3Conditioning(embeddings), new GenerationSettings(8, 5f, 3.0, ras with { SampleRatio = 1.0 }));
        Assert.Equal(dense, ratioOne);
        Assert.NotEqual(dense, withRas);
    }
}
