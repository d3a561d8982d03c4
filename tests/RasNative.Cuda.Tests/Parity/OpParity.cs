using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>
/// One op case on a backend and the CPU reference, compared output by output over the elements the op writes:
/// max |gpu − cpu| / max |cpu| per output (the fixtures' max_rel_to_maxabs) within the dtype's bound, so an error in one
/// element, or in a small output next to a large one, is not averaged away. Guards and unwritten elements are checked
/// exact by <see cref="OpHarness.Collect"/>.
/// </summary>
static class OpParity
{
    public static double Tolerance(CudaDType dtype) => dtype switch { CudaDType.F32 => 1e-5, CudaDType.F16 => 2e-3, _ => 1e-2 };

    /// <summary>Every output the case wrote (guard regions checked), inputs rounded to <paramref name="dtype"/>.</summary>
    public static OutputRegion[] Run(IBackend backend, OpCase opCase, CudaDType dtype)
    {
        var harness = new OpHarness(backend, v => Quantize(v, dtype));
        opCase.Run(harness);
        return harness.Collect();
    }

    public static OutputRegion[] Expected(OpCase opCase, CudaDType dtype)
    {
        using var cpu = new CpuBackend();
        return Run(cpu, opCase, dtype);
    }

    /// <summary>The largest per-output error, or +∞ when the outputs differ in number or length or a value is NaN (NaN never passes).</summary>
    public static double Error(OutputRegion[] expected, OutputRegion[] actual) => Worst(expected, actual).Error;

    /// <summary>The largest per-output error and the output it occurs in.</summary>
    public static (double Error, string Output) Worst(OutputRegion[] expected, OutputRegion[] actual)
    {
        if (expected.Length != actual.Length) return (double.PositiveInfinity, $"{actual.Length} outputs, expected {expected.Length}");
        var worst = (Error: 0.0, Output: "");
        for (int r = 0; r < expected.Length; r++)
        {
            double error = RegionError(expected[r].Values, actual[r].Values);
            if (!(error <= worst.Error)) worst = (error, expected[r].Name);
        }
        return worst;
    }

    /// <summary>max |actual − expected| / max |expected| over one output's written elements; +∞ on a length mismatch or NaN.</summary>
    static double RegionError(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return double.PositiveInfinity;
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(diff)) return double.PositiveInfinity;
            maxDiff = Math.Max(maxDiff, diff);
            maxRef = Math.Max(maxRef, Math.Abs((double)expected[i]));
        }
        return maxDiff == 0 ? 0 : maxDiff / Math.Max(maxRef, double.Epsilon);
    }

    static float Quantize(float value, CudaDType dtype)
    {
        var result = new float[1];
        HostConversions.FromDevice(HostConversions.ToDevice([value], dtype), dtype, result);
        return result[0];
    }
}
