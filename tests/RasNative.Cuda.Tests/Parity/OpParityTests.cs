using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;
using RasNative.Tests;
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
        using var cpu = new CpuBackend();
        var opCase = OpCases.All.Single(c => c.Name == name);
        Func<float, float> quantize = v => Quantize(v, dtype);

        var expected = Run(cpu, opCase, quantize);
        var actual = Run(gpu, opCase, quantize);
        Assert.Equal(expected.Length, actual.Length);
        double error = Closeness.RelativeL2(expected, actual);
        double tolerance = dtype switch { CudaDType.F32 => 1e-5, CudaDType.F16 => 2e-3, _ => 1e-2 };
        Assert.True(error <= tolerance, $"{name} ({dtype}): ‖gpu−cpu‖/‖cpu‖ = {error:E3} > {tolerance:E0}");
    }

    static float[] Run(IBackend backend, OpCase opCase, Func<float, float> quantize)
    {
        var harness = new OpHarness(backend, quantize);
        opCase.Run(harness);
        return harness.Collect();
    }

    static float Quantize(float value, CudaDType dtype)
    {
        var result = new float[1];
        HostConversions.FromDevice(HostConversions.ToDevice([value], dtype), dtype, result);
        return result[0];
    }
}
