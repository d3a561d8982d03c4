using RasNative.Runtime.Cpu;
using Xunit;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>
/// Every op case runs on the CPU backend (the parity tests' reference side) with finite results and intact guards, so
/// a malformed case is caught on machines without a GPU too.
/// </summary>
public class OpCasesOnCpuTests
{
    public static TheoryData<string> Cases() => [.. OpCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunsOnTheCpuBackend(string name)
    {
        using var cpu = new CpuBackend();
        var harness = new OpHarness(cpu, v => v);
        OpCases.All.Single(c => c.Name == name).Run(harness);
        var values = harness.Collect();
        Assert.All(values, v => Assert.True(float.IsFinite(v), $"{name}: non-finite output"));
    }
}
