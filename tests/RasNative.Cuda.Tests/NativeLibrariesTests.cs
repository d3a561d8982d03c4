using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests;

public class NativeLibrariesTests
{
    [Fact]
    public void MissingLibraryMessageListsWhatWasTried()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Driver, out _, out _)) Assert.Skip("a CUDA driver is installed here");
        Assert.False(NativeLibraries.TryLoad(NativeLibraries.Driver, out var handle, out var reason));
        Assert.Equal(IntPtr.Zero, handle);
        Assert.Contains("libcuda.so.1", reason);
        Assert.Contains("system loader", reason);
        var e = Assert.Throws<CudaLibraryNotFoundException>(() => NativeLibraries.Load(NativeLibraries.Driver));
        Assert.Contains("libcuda.so.1", e.Tried);
    }

    [Fact]
    public void BindingsThrowTheResolversMessage()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Driver, out _, out _)) Assert.Skip("a CUDA driver is installed here");
        var e = Assert.Throws<CudaLibraryNotFoundException>(() => Driver.cuInit(0));
        Assert.Contains("libcuda.so.1", e.Message);
    }

    [Fact]
    public void CandidatesPreferNewestSonameAndListPipWheelFolders()
    {
        var candidates = NativeLibraries.Candidates(NativeLibraries.Nvrtc);
        int v13 = IndexOf(candidates, "libnvrtc.so.13"), v12 = IndexOf(candidates, "libnvrtc.so.12"), v11 = IndexOf(candidates, "libnvrtc.so.11.2");
        Assert.True(v13 < v12 && v12 < v11, string.Join(", ", candidates));
    }

    [Fact]
    public void GpuProbeNeverThrows()
    {
        var (available, reason) = GpuAvailability.Check();
        Assert.NotEmpty(reason);
        Assert.Equal(available, GpuAvailability.DeviceArch() != null);
    }

    [Fact]
    public void BindingToAFileThatDoesNotLoadChangesNothing()
    {
        bool loadedBefore = NativeLibraries.TryLoad(NativeLibraries.Nvtx, out var before, out _);
        Assert.False(NativeLibraries.TryBind(NativeLibraries.Nvtx, "/nonexistent/libnothing.so", out var reason));
        Assert.Contains("/nonexistent/libnothing.so", reason);
        Assert.Equal(loadedBefore, NativeLibraries.TryLoad(NativeLibraries.Nvtx, out var after, out _));
        Assert.Equal(before, after);
        Assert.Throws<ArgumentException>(() => NativeLibraries.TryBind("cudnn", "/nonexistent/libnothing.so", out _));
    }

    [Fact]
    public void CallNameDropsArguments() => Assert.Equal("cuMemAlloc", Driver.CallName("Driver.cuMemAlloc(out var p, (nuint)n)"));

    static int IndexOf(IReadOnlyList<string> list, string name) => list.ToList().FindIndex(c => c.EndsWith(name, StringComparison.Ordinal));
}
