using RasNative.Loaders;
using RasNative.Runtime.Tests.Models;
using RasNative.Sampler.Generation;
using RasNative.Sampler.Tests;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// The official RAS runs (fixtures/ras) through Sd3Sampler on the float32 CUDA backend: the same active
/// patches, in the same order, at every RAS step and the latents of every step within 1e-4 + 1e-4·|ref|.
/// </summary>
public class Sd3CudaRasTests
{
    const double Atol = 1e-4, Rtol = 1e-4;

    [Theory]
    [InlineData("ras_std_r025")]
    [InlineData("ras_l2_dyn")]
    [InlineData("dense")]
    public void OfficialRasRunIsReproduced(string runName)
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var model = Sd3Fixture.LoadModel(FixturePaths.Get("ras", "model"), backend);
        using var trace = RasTrace.Load("ras", runName);
        using var embeddings = SafetensorsFile.Open(FixturePaths.Get("ras", "embeddings.safetensors"));
        using var latentsFile = SafetensorsFile.Open(FixturePaths.Get("ras", "latents.safetensors"));
        var settings = new GenerationSettings(trace.Steps, 5f, 3.0, trace.Options);
        int rasSteps = 0;
        var final = new Sd3Sampler(model, backend).Run(latentsFile.ReadFloat32("latents"), [1, trace.Channels, trace.Height, trace.Width],
            Conditioning(embeddings), settings, report =>
            {
                Assert.Equal(trace.Has("active_patches_stepNN", report.Step), report.ActivePatches != null);
                if (report.ActivePatches != null)
                {
                    rasSteps++;
                    Assert.Equal(trace.Ids("active_patches_stepNN", report.Step), report.ActivePatches);
                }
                Closeness.AssertClose(trace.Float32("latents_stepNN_out", report.Step), report.Latents, Atol, Rtol, $"{runName} step {report.Step}");
            });
        Closeness.AssertClose(trace.Tensors.ReadFloat32("final_latents"), final, Atol, Rtol, $"{runName} final_latents");
        Assert.Equal(runName == "dense" ? 0 : trace.SkipList.Count(s => s > 0), rasSteps);
    }

    /// <summary>embeddings.safetensors in the pipeline's names (prompt and negative pairs).</summary>
    static TextConditioning Conditioning(ITensorSource file)
    {
        var shape = file.Info("prompt_embeds").Shape;
        return new TextConditioning(
            file.ReadFloat32("prompt_embeds"), file.ReadFloat32("pooled_prompt_embeds"),
            file.ReadFloat32("negative_prompt_embeds"), file.ReadFloat32("negative_pooled_prompt_embeds"),
            (int)shape[1], (int)shape[2], (int)file.Info("pooled_prompt_embeds").Shape[1]);
    }
}
