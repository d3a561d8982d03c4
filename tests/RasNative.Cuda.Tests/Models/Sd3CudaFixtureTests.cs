using RasNative.Loaders;
using RasNative.Runtime.Tests.Models;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>The SD3 forward on the CUDA backend in every storage dtype against diffusers' samples (fixtures/sd3).</summary>
public class Sd3CudaFixtureTests
{
    public static TheoryData<string, string, CudaDType> Cases()
    {
        var data = new TheoryData<string, string, CudaDType>();
        foreach (var model in new[] { "sd3-tiny", "sd35-tiny", "sd3-tiny-bf16", "sd3-tiny-fp16" })
            foreach (var c in Sd3Fixture.CaseNames)
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
        using var file = Sd3Fixture.OpenCase(model, caseName);
        var sample = Sd3Fixture.Run(transformer, backend, Sd3Fixture.LoadInputs(file, backend));
        ReferenceBounds.AssertMatches(file.ReadFloat32("sample"), sample, dtype, FixtureBounds.Transformer, $"{model}/{caseName} sample ({dtype})",
            FixtureBounds.TransformerBf16RelativeL2);
    }

    /// <summary>fixtures/sd3-single-file (Stability's layout) through the same mapping as on the CPU, within the F32 bound.</summary>
    [Theory]
    [MemberData(nameof(Sd3Fixture.SingleFileCases), MemberType = typeof(Sd3Fixture))]
    public void SingleFileSampleMatchesDiffusers(string model, string caseName)
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var transformer = Sd3Fixture.LoadSingleFile(model, backend);
        using var file = Sd3Fixture.OpenCase(model, caseName);
        var sample = Sd3Fixture.Run(transformer, backend, Sd3Fixture.LoadInputs(file, backend));
        ReferenceBounds.AssertMatches(file.ReadFloat32("sample"), sample, CudaDType.F32, FixtureBounds.Transformer, $"{model}/{caseName} single-file sample (F32)");
    }
}
