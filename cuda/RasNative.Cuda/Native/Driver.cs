using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>CUDA driver API (libcuda). Versioned exports (_v2) are bound by their real symbol names.</summary>
public static unsafe partial class Driver
{
    static Driver() => NativeLibraries.EnsureResolver();

    public const int Success = 0;
    public const int ErrorInvalidValue = 1;
    public const int ErrorOutOfMemory = 2;
    public const int ErrorNotFound = 500;
    public const int ErrorNotReady = 600;
    public const int ErrorIllegalAddress = 700;
    public const int ErrorLaunchFailed = 719;
    public const int ErrorStreamCaptureUnsupported = 900;
    public const int ErrorStreamCaptureInvalidated = 901;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeClockRate = 13; // kHz, the maximum clock
    public const int StreamNonBlocking = 1;
    public const int EventDefault = 0;
    public const int StreamCaptureModeThreadLocal = 1;

    /// <summary>Throws <see cref="CudaException"/> with the driver's error name and text unless <paramref name="result"/> is success.</summary>
    public static void Check(int result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != Success) throw new CudaException(CallName(call), result, Describe(result));
    }

    /// <summary>"NAME: text" from the driver; under the emulator followed by its own explanation of the failure.</summary>
    public static string Describe(int result)
    {
        string name = "CUDA_ERROR", text = "unknown error";
        if (cuGetErrorName(result, out var namePtr) == Success && namePtr != IntPtr.Zero) name = Marshal.PtrToStringUTF8(namePtr)!;
        if (cuGetErrorString(result, out var textPtr) == Success && textPtr != IntPtr.Zero) text = Marshal.PtrToStringUTF8(textPtr)!;
        var description = $"{name}: {text}";
        if (NativeLibraries.UsesEmulator && EmulatorControl.LastErrorDetail is { Length: > 0 } detail) description += $" [emulator: {detail}]";
        return description;
    }

    /// <summary>"cuMemAlloc_v2(out p, n)" → "cuMemAlloc_v2": the call's name without its arguments.</summary>
    public static string CallName(string expression)
    {
        int paren = expression.IndexOf('(');
        return paren > 0 ? expression[..paren].Split('.')[^1] : expression;
    }

    [LibraryImport(NativeLibraries.Driver)] public static partial int cuInit(uint flags);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuDriverGetVersion(out int version);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuGetErrorName(int result, out IntPtr name);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuGetErrorString(int result, out IntPtr text);

    [LibraryImport(NativeLibraries.Driver)] public static partial int cuDeviceGetCount(out int count);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuDeviceGetAttribute(out int value, int attribute, int device);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuDeviceTotalMem_v2")] public static partial int cuDeviceTotalMem(out nuint bytes, int device);

    [LibraryImport(NativeLibraries.Driver)] public static partial int cuDevicePrimaryCtxRetain(out IntPtr context, int device);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuDevicePrimaryCtxRelease_v2")] public static partial int cuDevicePrimaryCtxRelease(int device);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuCtxCreate_v2")] public static partial int cuCtxCreate(out IntPtr context, uint flags, int device);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuCtxDestroy_v2")] public static partial int cuCtxDestroy(IntPtr context);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuCtxSetCurrent(IntPtr context);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuCtxSynchronize();

    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuMemGetInfo_v2")] public static partial int cuMemGetInfo(out nuint free, out nuint total);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuMemAlloc_v2")] public static partial int cuMemAlloc(out ulong pointer, nuint bytes);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuMemFree_v2")] public static partial int cuMemFree(ulong pointer);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuMemAllocAsync(out ulong pointer, nuint bytes, IntPtr stream);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuMemFreeAsync(ulong pointer, IntPtr stream);
    /// <summary>Page-locked host memory: copies to and from it are truly asynchronous (not staged, not blocking).</summary>
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuMemAllocHost_v2")] public static partial int cuMemAllocHost(out IntPtr pointer, nuint bytes);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuMemFreeHost(IntPtr pointer);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuMemcpyHtoDAsync_v2")] public static partial int cuMemcpyHtoDAsync(ulong destination, void* source, nuint bytes, IntPtr stream);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuMemcpyDtoHAsync_v2")] public static partial int cuMemcpyDtoHAsync(void* destination, ulong source, nuint bytes, IntPtr stream);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuMemcpyDtoDAsync_v2")] public static partial int cuMemcpyDtoDAsync(ulong destination, ulong source, nuint bytes, IntPtr stream);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuMemsetD32Async(ulong destination, uint value, nuint count, IntPtr stream);

    [LibraryImport(NativeLibraries.Driver)] public static partial int cuStreamCreate(out IntPtr stream, uint flags);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuStreamDestroy_v2")] public static partial int cuStreamDestroy(IntPtr stream);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuStreamSynchronize(IntPtr stream);

    [LibraryImport(NativeLibraries.Driver)] public static partial int cuEventCreate(out IntPtr ev, uint flags);
    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuEventDestroy_v2")] public static partial int cuEventDestroy(IntPtr ev);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuEventRecord(IntPtr ev, IntPtr stream);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuEventSynchronize(IntPtr ev);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuEventElapsedTime(out float milliseconds, IntPtr start, IntPtr end);

    [LibraryImport(NativeLibraries.Driver)] public static partial int cuModuleLoadData(out IntPtr module, void* image);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuModuleUnload(IntPtr module);
    [LibraryImport(NativeLibraries.Driver, StringMarshalling = StringMarshalling.Utf8)] public static partial int cuModuleGetFunction(out IntPtr function, IntPtr module, string name);

    [LibraryImport(NativeLibraries.Driver)]
    public static partial int cuLaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, IntPtr stream, void** parameters, void** extra);

    [LibraryImport(NativeLibraries.Driver, EntryPoint = "cuStreamBeginCapture_v2")] public static partial int cuStreamBeginCapture(IntPtr stream, int mode);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuStreamEndCapture(IntPtr stream, out IntPtr graph);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuGraphInstantiateWithFlags(out IntPtr graphExec, IntPtr graph, ulong flags);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuGraphLaunch(IntPtr graphExec, IntPtr stream);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuGraphExecDestroy(IntPtr graphExec);
    [LibraryImport(NativeLibraries.Driver)] public static partial int cuGraphDestroy(IntPtr graph);
}
