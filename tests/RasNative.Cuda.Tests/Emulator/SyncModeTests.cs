using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>RASNATIVE_CUDA_SYNC=1: the backend synchronises after every launch, so a failing kernel fails the op that launched it.</summary>
[Collection(nameof(ProcessWideSettingsCollection))]
public class SyncModeTests
{
    [Fact]
    public void FailingKernelFailsTheOpThatLaunchedIt()
    {
        EmulatorRequirement.Ensure();
        using var copy = new SourceCopy(KernelSourceSet.Embedded, "elementwise.cu",
            text => text.Replace("extern \"C\" __global__ void silu(const T* x, T* y, long long n)\n{\n    map_unary(x, y, n,",
                "extern \"C\" __global__ void silu(const T* x, T* y, long long n)\n{\n    map_unary(x, y, n + 1,"));
        var previous = Environment.GetEnvironmentVariable(CudaCalls.SyncVariable);
        Environment.SetEnvironmentVariable(CudaCalls.SyncVariable, "1");
        try
        {
            using var backend = GpuRequirement.CreateIsolatedBackend(CudaDType.F32, copy.Sources);
            var x = backend.Upload([1f, 2f, 3f, 4f], 4);
            var y = backend.Allocate(4);
            var e = Assert.Throws<CudaException>(() => backend.Silu(x, y));
            Assert.Equal(Driver.ErrorIllegalAddress, e.Status);
            Assert.Equal("cuStreamSynchronize after kernel silu with RASNATIVE_CUDA_SYNC=1", e.Call);
            Assert.Contains("kernel silu wrote past allocation", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(CudaCalls.SyncVariable, previous);
        }
    }

    [Fact]
    public void EveryLaunchAndCopyIsFollowedByASync()
    {
        var previous = Environment.GetEnvironmentVariable(CudaCalls.SyncVariable);
        Environment.SetEnvironmentVariable(CudaCalls.SyncVariable, "1");
        try
        {
            using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
            var x = backend.Upload([1f, 2f], 2);
            var y = backend.Allocate(2);
            backend.Calls.Counters.Reset();
            backend.Silu(x, y);
            backend.Copy(y, x);
            Assert.Equal((1L, 1L, 2L), (backend.Calls.Counters.Snapshot().Totals.Launches, backend.Calls.Counters.Snapshot().Totals.Copies,
                backend.Calls.Counters.Snapshot().Totals.Syncs));
        }
        finally
        {
            Environment.SetEnvironmentVariable(CudaCalls.SyncVariable, previous);
        }
    }
}
