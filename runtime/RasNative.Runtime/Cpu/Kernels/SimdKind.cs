using System.Runtime.Intrinsics;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>Which <see cref="ISimd{TV}"/> width a kernel call runs with.</summary>
internal enum SimdKind
{
    /// <summary>
    /// Fallback: accelerated on SSE/NEON machines, and software-emulated (slow but exact) where Vector128 is
    /// not accelerated, so every machine gets a correct kernel without a separate scalar copy.
    /// </summary>
    Vector128,
    Vector256,
    Vector512,
}

internal static class SimdKinds
{
    /// <summary>The widest width the JIT accelerates on this machine.</summary>
    public static SimdKind Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdKind.Vector512
        : Vector256.IsHardwareAccelerated ? SimdKind.Vector256
        : SimdKind.Vector128;

    /// <summary>Floats per vector of <paramref name="kind"/>.</summary>
    public static int Lanes(SimdKind kind) => kind switch
    {
        SimdKind.Vector512 => Vector512<float>.Count,
        SimdKind.Vector256 => Vector256<float>.Count,
        _ => Vector128<float>.Count,
    };
}
