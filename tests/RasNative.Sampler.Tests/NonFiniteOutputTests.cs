using RasNative.Sampler.Generation;
using RasNative.Sampler.Ras;
using Xunit;

namespace RasNative.Sampler.Tests;

/// <summary>A NaN or ∞ from the model stops the run at that step instead of flowing silently into the result.</summary>
public class NonFiniteOutputTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void TheRunStopsNamingTheStep(float bad)
    {
        var settings = new GenerationSettings(5, 1f, 3.0, RasOptions.Sd3Defaults(5) with { SampleRatio = 1 });
        var e = Assert.Throws<NonFiniteOutputException>(() => RasEulerLoop.Run(new float[4 * 4 * 4], 4, new PatchGrid(4, 4, 2), settings,
            (request, velocity) =>
            {
                velocity.Fill(0.5f);
                if (request.Step == 2) velocity[7] = bad;
            }, onStep: null));
        Assert.Contains("step 3/5", e.Message);
        Assert.Contains("element 7", e.Message);
    }
}
