using Xunit;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>Every op case on the CUDA backend (each storage dtype) against the CPU backend, output by output (see <see cref="OpParity"/>).</summary>
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
        var (error, output) = OpParity.Worst(expected, actual);
        double tolerance = OpParity.Tolerance(dtype);
        Assert.True(error <= tolerance, $"{name} ({dtype}) {output}: max|gpu−cpu|/max|cpu| = {error:E3} > {tolerance:E0} on {GpuRequirement.Libraries}");
    }
}
