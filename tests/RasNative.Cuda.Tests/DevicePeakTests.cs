using Xunit;

namespace RasNative.Cuda.Tests;

/// <summary>The device peaks bench states GPU speed against, from SMs × clock × per-SM rate (no device needed).</summary>
public class DevicePeakTests
{
    [Theory]
    // H100 SXM at its 1830 MHz sustained boost: the data sheet's 989.4 TFLOP/s dense bf16 / fp16; fp32 (66.9) at its 1980 MHz maximum.
    [InlineData(9, 0, 132, 1_830_000, CudaDType.BF16, 989_430)]
    [InlineData(9, 0, 132, 1_830_000, CudaDType.F16, 989_430)]
    [InlineData(9, 0, 132, 1_980_000, CudaDType.F32, 66_908)]
    // A100 SXM at 1410 MHz: the data sheet's 312 TFLOP/s fp16 / bf16 and 19.5 TFLOP/s fp32.
    [InlineData(8, 0, 108, 1_410_000, CudaDType.BF16, 311_869)]
    [InlineData(8, 0, 108, 1_410_000, CudaDType.F32, 19_492)]
    public void PeaksMatchTheDataSheets(int major, int minor, int sms, int clockKHz, CudaDType dtype, double expectedGflops)
    {
        var peak = DevicePeak.For((major, minor), sms, clockKHz, dtype);
        Assert.NotNull(peak);
        Assert.Equal(expectedGflops, peak.Gflops, 0.5);
        Assert.Contains($"sm_{major}{minor}", peak.Basis);
    }

    [Fact]
    public void AnArchitectureNotTabledHasNoPeak()
    {
        Assert.Null(DevicePeak.For((8, 6), 84, 1_860_000, CudaDType.F16));
        Assert.Null(DevicePeak.For((9, 0), 0, 1_980_000, CudaDType.F16));
    }
}
