using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// How close a GPU model output must be to the fixture's float32 reference: elementwise 1e-4 + 1e-4·|ref| in
/// float32 storage; relative L2 in the 16-bit storages, whose rounding of every activation rules out elementwise bounds.
/// </summary>
static class ReferenceBounds
{
    const double Atol = 1e-4, Rtol = 1e-4;

    public static void AssertMatches(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, CudaDType dtype, string what)
    {
        if (dtype == CudaDType.F32)
        {
            Closeness.AssertClose(expected, actual, Atol, Rtol, what);
            return;
        }
        double tolerance = dtype == CudaDType.BF16 ? 3e-2 : 5e-3;
        double error = Closeness.RelativeL2(expected, actual);
        Assert.True(error <= tolerance, $"{what}: ‖gpu−ref‖/‖ref‖ = {error:E3} > {tolerance:E0}");
    }
}
