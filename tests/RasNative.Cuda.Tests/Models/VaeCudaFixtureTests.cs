using RasNative.Runtime.Models.Vae;
using RasNative.Runtime.Tests.Models;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>The VAE decoder on the CUDA backend in every storage dtype against diffusers (fixtures/vae).</summary>
public class VaeCudaFixtureTests
{
    public static TheoryData<string, string, string, CudaDType> Cases()
    {
        var data = new TheoryData<string, string, string, CudaDType>();
        foreach (var (c, input, output) in new[] { ("case_1", "latent", "sample"), ("case_2", "latent", "sample"), ("case_1", "pipeline.latent_scaled", "pipeline.decoded") })
            foreach (var dtype in Enum.GetValues<CudaDType>())
                data.Add(c, input, output, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeMatchesDiffusers(string caseName, string input, string output, CudaDType dtype)
    {
        using var backend = GpuRequirement.CreateBackend(dtype);
        var vae = VaeFixture.LoadModel(backend);
        using var file = VaeFixture.OpenCase(caseName);
        var sample = vae.Decode(file.ReadFloat32(input), VaeFixture.Shape(file, input));
        ReferenceBounds.AssertMatches(file.ReadFloat32(output), sample, dtype, $"{caseName} {output} ({dtype})");
    }

    /// <summary>Tiles decode through the same arena at another size; the CPU decode of the same tiling is the reference.</summary>
    [Fact]
    public void TiledDecodeMatchesTheCpu()
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        using var cpu = new Runtime.Cpu.CpuBackend();
        using var file = VaeFixture.OpenCase("case_2");
        var (latent, shape, tiling) = (file.ReadFloat32("latent"), VaeFixture.Shape(file, "latent"), new VaeTiling(6, 2));
        ReferenceBounds.AssertMatches(VaeFixture.LoadModel(cpu).Decode(latent, shape, tiling), VaeFixture.LoadModel(backend).Decode(latent, shape, tiling),
            CudaDType.F32, "tiled case_2 (F32)");
    }
}
