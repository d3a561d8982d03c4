using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>NVRTC (libnvrtc): runtime compilation of the embedded .cu sources; needs no GPU or driver.</summary>
public static unsafe partial class Nvrtc
{
    static Nvrtc() => NativeLibraries.EnsureResolver();

    public const int Success = 0;

    public static void Check(int result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != Success) throw new CudaException(Driver.CallName(call), result, Describe(result));
    }

    public static string Describe(int result) => Marshal.PtrToStringUTF8(nvrtcGetErrorString(result)) ?? "NVRTC_ERROR";

    [LibraryImport(NativeLibraries.Nvrtc)] public static partial IntPtr nvrtcGetErrorString(int result);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcVersion(out int major, out int minor);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetNumSupportedArchs(out int count);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetSupportedArchs(int* archs);

    [LibraryImport(NativeLibraries.Nvrtc)]
    public static partial int nvrtcCreateProgram(out IntPtr program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcDestroyProgram(ref IntPtr program);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcCompileProgram(IntPtr program, int optionCount, byte** options);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetProgramLogSize(IntPtr program, out nuint size);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetProgramLog(IntPtr program, byte* log);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetPTXSize(IntPtr program, out nuint size);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetPTX(IntPtr program, byte* ptx);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetCUBINSize(IntPtr program, out nuint size);
    [LibraryImport(NativeLibraries.Nvrtc)] public static partial int nvrtcGetCUBIN(IntPtr program, byte* cubin);
}
