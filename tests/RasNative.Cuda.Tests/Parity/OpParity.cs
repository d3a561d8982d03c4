using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;
using RasNative.Tests;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>One op case on a backend and the CPU reference, compared as ‖gpu − cpu‖ / ‖cpu‖ within the dtype's bound.</summary>
static class OpParity
{
    public static double Tolerance(CudaDType dtype) => dtype switch { CudaDType.F32 => 1e-5, CudaDType.F16 => 2e-3, _ => 1e-2 };

    /// <summary>Every output value the case wrote (guard regions checked), inputs rounded to <paramref name="dtype"/>.</summary>
    public static float[] Run(IBackend backend, OpCase opCase, CudaDType dtype)
    {
        var harness = new OpHarness(backend, v => Quantize(v, dtype));
        opCase.Run(harness);
        return harness.Collect();
    }

    public static float[] Expected(OpCase opCase, CudaDType dtype)
    {
        using var cpu = new CpuBackend();
        return Run(cpu, opCase, dtype);
    }

    /// <summary>The relative L2 error, or +∞ when the lengths differ or a value is NaN (NaN never passes).</summary>
    public static double Error(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return double.PositiveInfinity;
        double error = Closeness.RelativeL2(expected, actual);
        return double.IsNaN(error) ? double.PositiveInfinity : error;
    }

    static float Quantize(float value, CudaDType dtype)
    {
        var result = new float[1];
        HostConversions.FromDevice(HostConversions.ToDevice([value], dtype), dtype, result);
        return result[0];
    }
}
