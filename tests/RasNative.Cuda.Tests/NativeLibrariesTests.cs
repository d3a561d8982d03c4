using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests;

public class NativeLibrariesTests
{
    [Fact]
    public void MissingLibraryMessageListsWhatWasTried()
    {
        if (NativeLibraries.TryLoadReal(NativeLibraries.Driver, out _, out _)) Assert.Skip("a CUDA driver is installed here");
        Assert.False(NativeLibraries.TryLoadReal(NativeLibraries.Driver, out var handle, out var reason));
        Assert.Equal(IntPtr.Zero, handle);
        Assert.Contains("libcuda.so.1", reason);
        Assert.Contains("system loader", reason);
        if (NativeLibraries.UsesEmulator) return;
        var e = Assert.Throws<CudaLibraryNotFoundException>(() => NativeLibraries.Load(NativeLibraries.Driver));
        Assert.Contains("libcuda.so.1", e.Tried);
    }

    /// <summary>.ci/run runs this class a second time with RASNATIVE_CUDA=gpu, where the bindings meet no driver.</summary>
    [Fact]
    public void BindingsThrowTheResolversMessage()
    {
        if (NativeLibraries.UsesEmulator) Assert.Skip("the bindings run on the CUDA emulator in this run (RASNATIVE_CUDA=gpu runs this check)");
        if (NativeLibraries.TryLoad(NativeLibraries.Driver, out _, out _)) Assert.Skip("a CUDA driver is installed here");
        var e = Assert.Throws<CudaLibraryNotFoundException>(() => Driver.cuInit(0));
        Assert.Contains("libcuda.so.1", e.Message);
    }

    [Theory]
    [InlineData(null, CudaLibraryMode.Auto)]
    [InlineData("", CudaLibraryMode.Auto)]
    [InlineData("auto", CudaLibraryMode.Auto)]
    [InlineData("gpu", CudaLibraryMode.Gpu)]
    [InlineData("emulator", CudaLibraryMode.Emulator)]
    public void ModeVariableAcceptsItsThreeValues(string? value, CudaLibraryMode mode) => Assert.Equal(mode, CudaLibraryModes.Parse(value));

    [Theory]
    [InlineData("GPU")]
    [InlineData("cpu")]
    [InlineData("emulated")]
    public void AnyOtherModeIsAnErrorNamingTheVariable(string value)
    {
        var e = Assert.Throws<CudaConfigurationException>(() => CudaLibraryModes.Parse(value));
        Assert.Equal($"RASNATIVE_CUDA={value}: expected auto, gpu or emulator", e.Message);
    }

    [Fact]
    public void DescriptionNamesTheLoadedDriverFile()
    {
        var description = NativeLibraries.Describe();
        if (!NativeLibraries.TryLoad(NativeLibraries.Driver, out _, out _)) return;
        var path = NativeLibraries.LoadedPath(NativeLibraries.Driver)!;
        Assert.True(File.Exists(path), path);
        Assert.Contains(path, description);
        Assert.StartsWith(NativeLibraries.UsesEmulator ? "emulator" : "gpu", description);
        if (NativeLibraries.UsesEmulator) Assert.Equal(Path.Combine(NativeLibraries.EmulatorDirectory, "librasnative-cuda-emulator.so"), path);
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
    public void CallNameDropsArguments() => Assert.Equal("cuMemAlloc", Driver.CallName("Driver.cuMemAlloc(out var p, (nuint)n)"));

    static int IndexOf(IReadOnlyList<string> list, string name) => list.ToList().FindIndex(c => c.EndsWith(name, StringComparison.Ordinal));
}
