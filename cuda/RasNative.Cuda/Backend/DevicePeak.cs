namespace RasNative.Cuda;

/// <summary>
/// A GPU's dense arithmetic peak for the backend's compute dtype: SMs × the reported maximum clock × the FLOPs one SM
/// retires per clock on the units our kernels use — tensor cores (mma, fp32 accumulation) for fp16/bf16, CUDA-core FMAs
/// for fp32 (TF32 is never enabled). At the maximum clock this is an upper bound: NVIDIA's data-sheet peaks assume the
/// lower sustained boost clock (the H100 SXM's 989 TFLOP/s bf16 is 1830 MHz; its reported maximum is 1980 MHz).
/// </summary>
public sealed record DevicePeak(double Gflops, string Basis)
{
    /// <summary>The peak, or null for an architecture whose per-SM rate is not tabled here.</summary>
    public static DevicePeak? For((int Major, int Minor) capability, int multiprocessors, int clockKHz, CudaDType dtype)
    {
        int? flopsPerClock = (capability, dtype) switch
        {
            // Dense tensor-core FLOPs per SM per clock with fp32 accumulation: A100 (sm_80) 2048, H100 (sm_90) 4096.
            ((8, 0), CudaDType.F16 or CudaDType.BF16) => 2048,
            ((9, 0), CudaDType.F16 or CudaDType.BF16) => 4096,
            // CUDA-core fp32: 64 FMA lanes per SM on sm_80, 128 on sm_90.
            ((8, 0), CudaDType.F32) => 128,
            ((9, 0), CudaDType.F32) => 256,
            _ => null,
        };
        if (flopsPerClock is not { } perClock || multiprocessors <= 0 || clockKHz <= 0) return null;
        double gflops = (double)multiprocessors * clockKHz * 1e3 * perClock / 1e9;
        string units = dtype == CudaDType.F32 ? "fp32 FMA" : $"{dtype.ToString().ToLowerInvariant()} tensor-core";
        return new DevicePeak(gflops, $"sm_{capability.Major}{capability.Minor} {units} peak ({multiprocessors} SMs × {clockKHz / 1000} MHz)");
    }
}
