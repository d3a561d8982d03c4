using RasNative.Runtime.Tests.Models;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// The Lumina-Next forward on the CUDA backend against diffusers' samples (fixtures/lumina-next), with the
/// SD3 GPU tests' bounds: elementwise in float32 storage, relative L2 in the 16-bit storages.
/// </summary>
public class LuminaCudaFixtureTests
{
    const double Atol = 1e-4, Rtol = 1e-4;

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
        var expected = file.ReadFloat32("sample");
        string what = $"lumina-next-tiny/{caseName} sample ({dtype})";
        if (dtype == CudaDType.F32)
        {
            Closeness.AssertClose(expected, sample, Atol, Rtol, what);
            return;
        }
        double tolerance = dtype == CudaDType.BF16 ? 3e-2 : 5e-3;
        double error = Closeness.RelativeL2(expected, sample);
        Assert.True(error <= tolerance, $"{what}: ‖gpu−ref‖/‖ref‖ = {error:E3} > {tolerance:E0}");
    }
}
