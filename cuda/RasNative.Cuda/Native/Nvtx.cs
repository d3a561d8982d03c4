using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>NVTX ranges for Nsight Systems; every call is a no-op when no NVTX library is installed.</summary>
public static partial class Nvtx
{
    static Nvtx() => NativeLibraries.EnsureResolver();

    static readonly bool Available = NativeLibraries.TryLoad(NativeLibraries.Nvtx, out _, out _);

    public static void Push(string name)
    {
        if (Available) nvtxRangePushA(name);
    }

    public static void Pop()
    {
        if (Available) nvtxRangePop();
    }

    /// <summary>using (Nvtx.Range("op")) { … }: pops when disposed.</summary>
    public static Scope Range(string name)
    {
        Push(name);
        return default;
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => Pop();
    }

    [LibraryImport(NativeLibraries.Nvtx, StringMarshalling = StringMarshalling.Utf8)] private static partial int nvtxRangePushA(string message);
    [LibraryImport(NativeLibraries.Nvtx)] private static partial int nvtxRangePop();
}
