using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models.Sd3;
using RasNative.Sampler.Random;
using RasNative.Sampler.Scheduling;
using RasNative.Tests;
using Xunit;

namespace RasNative.Sampler.Tests;

/// <summary>
/// fixtures/sd3-pipeline's steps teacher-forced (README: feed the reference step{NN−1}.latents and the reference
/// embeddings): every step's noise prediction within 2e-5 + 1e-5·|ref|; the schedule and the seeded noise exact; guidance
/// on the reference noise predictions gives the reference guided velocity.
/// </summary>
public class Sd3PipelineStepTests
{
    static string Folder => FixturePaths.Get("sd3-pipeline");

    [Theory]
    [InlineData("case_1", 42L, 5f)]
    [InlineData("case_2", 1234L, 1f)]
    public void EveryStepTeacherForcedMatchesDiffusers(string caseName, long seed, float guidance)
    {
        using var backend = new CpuBackend();
        var model = Sd3Transformer.Load(ModelSource.Open(Path.Combine(Folder, "sd3-pipeline-tiny")).Get(PipelineComponent.Transformer), backend);
        using var run = SafetensorsFile.Open(Path.Combine(Folder, caseName + ".safetensors"));
        var latentShape = run.Info("latents_init").Shape.Select(d => (int)d).ToArray();
        var timesteps = run.ReadFloat32("timesteps");
        var schedule = FlowMatchEulerSchedule.Create(timesteps.Length, shift: 3.0);
        Assert.Equal(timesteps, schedule.Timesteps);
        Assert.Equal(run.ReadFloat32("sigmas"), schedule.Sigmas);
        Assert.Equal(run.ReadFloat32("latents_init"), TorchRandn.Randn(new TorchGenerator((ulong)seed), run.Info("latents_init").ElementCount));

        bool cfg = guidance > 1f;
        int batch = cfg ? 2 : 1;
        var text = cfg ? [.. run.ReadFloat32("negative_prompt_embeds"), .. run.ReadFloat32("prompt_embeds")] : run.ReadFloat32("prompt_embeds");
        var pooled = cfg ? [.. run.ReadFloat32("negative_pooled_prompt_embeds"), .. run.ReadFloat32("pooled_prompt_embeds")] : run.ReadFloat32("pooled_prompt_embeds");
        var promptShape = run.Info("prompt_embeds").Shape.Select(d => (int)d).ToArray();
        var inputs = new Sd3Inputs(backend.Allocate(batch, latentShape[1], latentShape[2], latentShape[3]),
            backend.Upload(text, batch, promptShape[1], promptShape[2]), backend.Upload(pooled, batch, pooled.Length / batch), new float[batch]);
        var output = backend.Allocate(batch, latentShape[1], latentShape[2], latentShape[3]);
        int pixels = latentShape.Skip(1).Aggregate(1, (a, d) => a * d);

        for (int step = 0; step < timesteps.Length; step++)
        {
            var latents = run.ReadFloat32(step == 0 ? "latents_init" : $"step{step - 1:00}.latents");
            for (int b = 0; b < batch; b++) backend.Write(latents, inputs.HiddenStates.Slice((long)b * pixels, 1, latentShape[1], latentShape[2], latentShape[3]));
            Array.Fill(inputs.Timestep, timesteps[step]);
            model.Forward(inputs, output);
            var prediction = new float[output.Length];
            backend.Download(output, prediction);
            var expected = run.ReadFloat32($"step{step:00}.noise_pred");
            Closeness.AssertClose(expected, prediction, 2e-5, 1e-5, $"{caseName} step{step:00}.noise_pred");

            if (!cfg) continue;
            var reference = backend.Upload(expected, 2, latentShape[1], latentShape[2], latentShape[3]);
            var guided = backend.Allocate(1, latentShape[1], latentShape[2], latentShape[3]);
            backend.Guidance(reference.Slice(0, 1, latentShape[1], latentShape[2], latentShape[3]),
                reference.Slice(pixels, 1, latentShape[1], latentShape[2], latentShape[3]), guidance, guided);
            var guidedValues = new float[guided.Length];
            backend.Download(guided, guidedValues);
            Assert.Equal(run.ReadFloat32($"step{step:00}.noise_pred_guided"), guidedValues);
        }
    }
}
