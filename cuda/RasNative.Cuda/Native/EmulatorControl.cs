using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>
/// What only the CUDA emulator offers (its driver and NVRTC libraries export these beside the CUDA API): the thread
/// schedule seed, the explanation of the calling thread's last failure, and its identity for the kernel-cache key.
/// Every member requires <see cref="NativeLibraries.UsesEmulator"/>.
/// </summary>
public static partial class EmulatorControl
{
    static EmulatorControl() => NativeLibraries.EnsureResolver();

    /// <summary>
    /// Permutes the order in which a block's threads run between barriers (null: thread order). Starts as
    /// RASNATIVE_CUDA_EMULATOR_SEED; process-wide, applies to launches that run after it is set.
    /// </summary>
    public static ulong? ScheduleSeed
    {
        get => RequireEmulator(rasemu_get_schedule_seed(out var seed) != 0 ? seed : (ulong?)null);
        set
        {
            RequireEmulator(0);
            rasemu_set_schedule_seed(value.HasValue ? 1 : 0, value ?? 0);
        }
    }

    /// <summary>The emulator's explanation of the calling thread's last failed call ("" when none).</summary>
    public static string LastErrorDetail => RequireEmulator(Marshal.PtrToStringUTF8(rasemu_last_error_detail()) ?? "");

    /// <summary>Emulator version, emulation-header hash, host compiler and the real NVRTC behind it: part of every kernel-cache key.</summary>
    public static string NvrtcIdentity => RequireEmulator(Marshal.PtrToStringUTF8(rasemu_nvrtc_identity()) ?? "");

    /// <summary>Whether the emulated NVRTC has a real NVRTC to compile with first (for real diagnostics and ptxas figures).</summary>
    public static bool HasRealNvrtc => RequireEmulator(rasemu_nvrtc_has_real() != 0);

    /// <summary>The real NVRTC's CUBIN of <paramref name="program"/>'s last compilation (empty without a real NVRTC or for a PTX target).</summary>
    internal static unsafe byte[] RealCubin(IntPtr program)
    {
        RequireEmulator(0);
        Nvrtc.Check(rasemu_nvrtc_real_cubin_size(program, out var size));
        var buffer = new byte[size];
        fixed (byte* p = buffer) Nvrtc.Check(rasemu_nvrtc_real_cubin(program, p));
        return buffer;
    }

    static T RequireEmulator<T>(T value) => NativeLibraries.UsesEmulator
        ? value
        : throw new InvalidOperationException("the CUDA emulator is not in use (RASNATIVE_CUDA)");

    [LibraryImport(NativeLibraries.Driver)] private static partial void rasemu_set_schedule_seed(int seeded, ulong seed);
    [LibraryImport(NativeLibraries.Driver)] private static partial int rasemu_get_schedule_seed(out ulong seed);
    [LibraryImport(NativeLibraries.Driver)] private static partial IntPtr rasemu_last_error_detail();
    [LibraryImport(NativeLibraries.Nvrtc)] private static partial IntPtr rasemu_nvrtc_identity();
    [LibraryImport(NativeLibraries.Nvrtc)] private static partial int rasemu_nvrtc_has_real();
    [LibraryImport(NativeLibraries.Nvrtc)] private static partial int rasemu_nvrtc_real_cubin_size(IntPtr program, out nuint size);
    [LibraryImport(NativeLibraries.Nvrtc)] private static unsafe partial int rasemu_nvrtc_real_cubin(IntPtr program, byte* cubin);
}
