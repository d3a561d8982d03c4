using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Models;

/// <summary>
/// How close a GPU model output must be to the fixture's float32 reference: in float32 storage elementwise within the
/// fixture README's own float32 bound (<see cref="FixtureBounds"/>), as on the CPU; in the 16-bit storages, whose
/// rounding of every activation rules out elementwise bounds, a relative L2 error: for BF16 the README's figure where it
/// states one (<paramref name="bf16RelativeL2"/>), for F16 <see cref="FixtureBounds.F16RelativeL2"/>.
/// </summary>
static class ReferenceBounds
{
    public static void AssertMatches(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, CudaDType dtype, Bound float32Bound, string what,
        double bf16RelativeL2 = FixtureBounds.UnstatedBf16RelativeL2)
    {
        if (dtype == CudaDType.F32)
        {
            Closeness.AssertClose(expected, actual, float32Bound, what);
            return;
        }
        double tolerance = dtype == CudaDType.BF16 ? bf16RelativeL2 : FixtureBounds.F16RelativeL2;
        double error = Closeness.RelativeL2(expected, actual);
        Assert.True(error <= tolerance, $"{what}: ‖gpu−ref‖/‖ref‖ = {error:E3} > {tolerance:E0}");
    }
}
