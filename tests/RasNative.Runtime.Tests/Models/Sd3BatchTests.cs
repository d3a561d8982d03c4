using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>Shapes beyond the fixtures: batch 3, one text token, a non-square grid — each batch row must equal its own forward.</summary>
public class Sd3BatchTests
{
    [Theory]
    [InlineData("sd3-tiny")]
    [InlineData("sd35-tiny")]
    public void EveryRowOfABatchOfThreeEqualsItsOwnForward(string model)
    {
        using var backend = new CpuBackend();
        var transformer = Sd3Fixture.LoadModel(Sd3Fixture.ModelPath(model), backend);
        var random = new System.Random(11);
        float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextSingle() * 2 - 1)];
        int latent = 4 * 8 * 20, text = 1 * 32, pooled = 64;
        var (latents, texts, pooleds) = (Values(3 * latent), Values(3 * text), Values(3 * pooled));
        float[] timesteps = [999f, 500f, 3f];

        var batch = Sd3Fixture.Run(transformer, backend, new Sd3Inputs(backend.Upload(latents, 3, 4, 8, 20),
            backend.Upload(texts, 3, 1, 32), backend.Upload(pooleds, 3, 64), timesteps));
        for (int b = 0; b < 3; b++)
        {
            var single = Sd3Fixture.Run(transformer, backend, new Sd3Inputs(backend.Upload(latents.AsSpan(b * latent, latent), 1, 4, 8, 20),
                backend.Upload(texts.AsSpan(b * text, text), 1, 1, 32), backend.Upload(pooleds.AsSpan(b * pooled, pooled), 1, 64), [timesteps[b]]));
            Closeness.AssertClose(single, batch.AsSpan(b * latent, latent), 1e-6, 1e-6, $"{model} row {b}");
        }
    }
}
