using System.Text.Json;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Models.Sd3;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;
using RasNative.Tests;
using Xunit;

namespace RasNative.Sampler.Tests;

/// <summary>
/// Replays a run of the official RAS code (fixtures/ras, fixtures/ras-lumina) on any backend: the same RAS steps,
/// the same active patches in the same order, and every step's latents within the given tolerance.
/// </summary>
public static class OfficialRuns
{
    public static void ReproduceSd3(IBackend backend, string run, double atol, double rtol)
    {
        var model = Sd3Transformer.Load(ModelSource.Open(FixturePaths.Get("ras", "model")).Get(PipelineComponent.Transformer), backend);
        using var trace = RasTrace.Load("ras", run);
        using var embeddings = SafetensorsFile.Open(FixturePaths.Get("ras", "embeddings.safetensors"));
        using var latents = SafetensorsFile.Open(FixturePaths.Get("ras", "latents.safetensors"));
        var checker = new StepChecker(trace, run, atol, rtol);
        var final = new Sd3Sampler(model, backend).Run(latents.ReadFloat32("latents"), [1, trace.Channels, trace.Height, trace.Width],
            Sd3Conditioning(embeddings), new GenerationSettings(trace.Steps, 5f, 3.0, trace.Options), checker.Check);
        checker.Finish(final);
    }

    public static void ReproduceLumina(IBackend backend, string run, double atol, double rtol)
    {
        var config = JsonDocument.Parse(File.ReadAllText(FixturePaths.Get("ras-lumina", "config.json"))).RootElement;
        var model = LoadLumina(backend);
        using var trace = RasTrace.Load("ras-lumina", run);
        using var embeddings = SafetensorsFile.Open(FixturePaths.Get("ras-lumina", "embeddings.safetensors"));
        using var latents = SafetensorsFile.Open(FixturePaths.Get("ras-lumina", "latents.safetensors"));
        var pipeline = config.GetProperty("runs").GetProperty(run).GetProperty("pipeline");
        var settings = new GenerationSettings(trace.Steps, (float)config.GetProperty("guidance_scale").GetDouble(),
            config.GetProperty("scheduler_config").GetProperty("shift").GetDouble(), trace.Options);
        var checker = new StepChecker(trace, run, atol, rtol);
        var final = new LuminaSampler(model, backend).Run(latents.ReadFloat32("latents"), [1, trace.Channels, trace.Height, trace.Width],
            LuminaConditioning(embeddings), settings,
            new LuminaPipelineOptions(pipeline.GetProperty("scaling_watershed").GetDouble(), pipeline.GetProperty("proportional_attn").GetBoolean()),
            checker.Check);
        checker.Finish(final);
    }

    public static LuminaNextTransformer LoadLumina(IBackend backend)
    {
        return LuminaNextTransformer.Load(ModelSource.Open(FixturePaths.Get("ras-lumina", "pipeline")).Get(PipelineComponent.Transformer), backend);
    }

    /// <summary>embeddings.safetensors in StableDiffusion3Pipeline's names (prompt and negative pairs).</summary>
    public static TextConditioning Sd3Conditioning(ITensorSource file)
    {
        var shape = file.Info("prompt_embeds").Shape;
        return new TextConditioning(
            file.ReadFloat32("prompt_embeds"), file.ReadFloat32("pooled_prompt_embeds"),
            file.ReadFloat32("negative_prompt_embeds"), file.ReadFloat32("negative_pooled_prompt_embeds"),
            (int)shape[1], (int)shape[2], (int)file.Info("pooled_prompt_embeds").Shape[1]);
    }

    /// <summary>embeddings.safetensors in LuminaText2ImgPipeline's names (masks stored as I64).</summary>
    public static LuminaConditioning LuminaConditioning(ITensorSource file)
    {
        var shape = file.Info("prompt_embeds").Shape;
        float[] Mask(string name) => [.. file.ReadInt64(name).Select(m => (float)m)];
        return new LuminaConditioning(
            file.ReadFloat32("prompt_embeds"), Mask("prompt_attention_mask"),
            file.ReadFloat32("negative_prompt_embeds"), Mask("negative_prompt_attention_mask"),
            (int)shape[1], (int)shape[2]);
    }

    sealed class StepChecker(RasTrace trace, string run, double atol, double rtol)
    {
        int steps, rasSteps;

        public void Check(StepReport report)
        {
            steps++;
            Assert.Equal(trace.Has("active_patches_stepNN", report.Step), report.ActivePatches != null);
            if (report.ActivePatches != null)
            {
                rasSteps++;
                Assert.Equal(trace.Ids("active_patches_stepNN", report.Step), report.ActivePatches);
            }
            Closeness.AssertClose(trace.Float32("latents_stepNN_out", report.Step), report.Latents, atol, rtol, $"{run} step {report.Step}");
        }

        public void Finish(float[] final)
        {
            Closeness.AssertClose(trace.Tensors.ReadFloat32("final_latents"), final, atol, rtol, $"{run} final_latents");
            Assert.Equal(trace.Steps, steps);
            Assert.Equal(run == "dense" ? 0 : trace.SkipList.Count(s => s > 0), rasSteps);
        }
    }
}
