using Xunit;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>Every op case on the CUDA backend (each storage dtype) against the CPU backend: ‖gpu − cpu‖ / ‖cpu‖.</summary>
public class OpParityTests
{
    public static TheoryData<string, CudaDType> Cases()
    {
        var data = new TheoryData<string, CudaDType>();
        foreach (var c in OpCases.All)
            foreach (var dtype in Enum.GetValues<CudaDType>())
                data.Add(c.Name, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesCpu(string name, CudaDType dtype)
    {
        using var gpu = GpuRequirement.CreateBackend(dtype);
        var opCase = OpCases.All.Single(c => c.Name == name);
        var expected = OpParity.Expected(opCase, dtype);
        var actual = OpParity.Run(gpu, opCase, dtype);
        Assert.Equal(expected.Length, actual.Length);
        double error = OpParity.Error(expected, actual), tolerance = OpParity.Tolerance(dtype);
        Assert.True(error <= tolerance, $"{name} ({dtype}): ‖gpu−cpu‖/‖cpu‖ = {error:E3} > {tolerance:E0} on {GpuRequirement.Libraries}");
    }
}
