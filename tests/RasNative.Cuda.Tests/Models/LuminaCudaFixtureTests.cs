using RasNative.Runtime.Tests.Models;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>The Lumina-Next forward on the CUDA backend in every storage dtype against diffusers' samples (fixtures/lumina-next).</summary>
public class LuminaCudaFixtureTests
{
    public static TheoryData<string, CudaDType> Cases()
    {
        var data = new TheoryData<string, CudaDType>();
        foreach (var c in new[] { "case_a", "case_b", "case_c", "case_d" })
            foreach (var dtype in Enum.GetValues<CudaDType>())
                data.Add(c, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SampleMatchesDiffusers(string caseName, CudaDType dtype)
    {
        using var backend = GpuRequirement.CreateBackend(dtype);
        var model = LuminaFixture.LoadModel(LuminaFixture.ModelPath, backend);
        using var file = LuminaFixture.OpenCase(caseName);
        var sample = LuminaFixture.Run(model, backend, LuminaFixture.LoadInputs(file, backend));
        ReferenceBounds.AssertMatches(file.ReadFloat32("sample"), sample, dtype, FixtureBounds.Transformer, $"lumina-next-tiny/{caseName} sample ({dtype})",
            FixtureBounds.TransformerBf16RelativeL2);
    }
}
