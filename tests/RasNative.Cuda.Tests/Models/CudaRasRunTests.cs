using RasNative.Sampler.Tests;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// The official RAS runs through the samplers on the float32 CUDA backend: the same active patches, in the same
/// order, at every RAS step and every step's latents within the fixture READMEs' 1e-4 (as on the CPU).
/// </summary>
public class CudaRasRunTests
{
    [Theory]
    [InlineData("ras_std_r025")]
    [InlineData("ras_l2_dyn")]
    [InlineData("dense")]
    public void OfficialSd3RunIsReproduced(string runName)
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        OfficialRuns.ReproduceSd3(backend, runName, FixtureBounds.Ras.Atol, FixtureBounds.Ras.Rtol);
    }

    [Theory]
    [InlineData("ras_lumina_dyn")]
    [InlineData("ras_static_l2")]
    [InlineData("dense")]
    public void OfficialLuminaRunIsReproduced(string runName)
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        OfficialRuns.ReproduceLumina(backend, runName, FixtureBounds.Ras.Atol, FixtureBounds.Ras.Rtol);
    }
}
