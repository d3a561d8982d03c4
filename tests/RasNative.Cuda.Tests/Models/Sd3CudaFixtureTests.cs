using RasNative.Loaders;
using RasNative.Runtime.Tests.Models;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// The SD3 forward on the CUDA backend against diffusers' samples (fixtures/sd3): elementwise in float32
/// storage, relative L2 in the 16-bit storages (whose rounding of every activation rules out elementwise bounds).
/// </summary>
public class Sd3CudaFixtureTests
{
    const double Atol = 1e-4, Rtol = 1e-4;

    public static TheoryData<string, string, CudaDType> Cases()
    {
        var data = new TheoryData<string, string, CudaDType>();
        foreach (var model in new[] { "sd3-tiny", "sd35-tiny", "sd3-tiny-bf16", "sd3-tiny-fp16" })
            foreach (var c in new[] { "case_a", "case_b", "case_c", "case_d" })
                foreach (var dtype in Enum.GetValues<CudaDType>())
                    data.Add(model, c, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SampleMatchesDiffusers(string model, string caseName, CudaDType dtype)
    {
        using var backend = GpuRequirement.CreateBackend(dtype);
        var transformer = Sd3Fixture.LoadModel(Sd3Fixture.ModelPath(model), backend);
        using var file = SafetensorsFile.Open(Path.Combine(Sd3Fixture.ModelPath(model), caseName + ".safetensors"));
        var sample = Sd3Fixture.Run(transformer, backend, Sd3Fixture.LoadInputs(file, backend));
        var expected = file.ReadFloat32("sample");
        string what = $"{model}/{caseName} sample ({dtype})";
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
