using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// Where bugs hide, the emulator behaves as the driver documents (and reports what a GPU would not): guard bytes
/// around every allocation, deferred stream work, pageable versus pinned copies, deadlocks, memory limits.
/// </summary>
public unsafe class DeviceFaithfulnessTests
{
    [Fact]
    public void StorePastTheEndFailsTheKernelWithIllegalAddressNamingIt()
    {
        EmulatorRequirement.Ensure();
        using var device = new ProbeContext();
        var y = device.Allocate(64 * sizeof(float));
        Assert.Equal(Driver.Success, device.Launch("store_past_end", 1, 256, y, 1f, 64, 1));
        int result = device.Synchronize();
        Assert.Equal(Driver.ErrorIllegalAddress, result);
        var message = Driver.Describe(result);
        Assert.Contains("CUDA_ERROR_ILLEGAL_ADDRESS", message);
        Assert.Contains("kernel store_past_end wrote past allocation", message);
        Assert.Contains("(256 bytes): byte 0 after its end", message);
        // The error is sticky: the context is of no further use, as on a GPU after an illegal address.
        Assert.Equal(Driver.ErrorIllegalAddress, Driver.cuMemAlloc(out _, 16));
    }

    [Fact]
    public void StoresInsideTheAllocationPass()
    {
        EmulatorRequirement.Ensure();
        using var device = new ProbeContext();
        var y = device.Allocate(64 * sizeof(float));
        Assert.Equal(Driver.Success, device.Launch("store_past_end", 1, 256, y, 2.5f, 64, 0));
        Assert.Equal(Driver.Success, device.Synchronize());
        Assert.All(device.Download<float>(y, 64), v => Assert.Equal(2.5f, v));
    }

    [Fact]
    public void CopyRangeNoAllocationOwnsFailsTheCall()
    {
        EmulatorRequirement.Ensure();
        using var device = new ProbeContext();
        var y = device.Allocate(100);
        var bytes = new byte[101];
        fixed (byte* p = bytes)
        {
            Assert.Equal(Driver.ErrorInvalidValue, Driver.cuMemcpyHtoDAsync(y, p, 101, device.Stream));
            Assert.Contains("runs 1 bytes past the end of allocation", EmulatorControl.LastErrorDetail);
            Assert.Equal(Driver.ErrorInvalidValue, Driver.cuMemcpyDtoHAsync(p, 0x1000, 4, device.Stream));
            Assert.Contains("is not inside any live device allocation", EmulatorControl.LastErrorDetail);
        }
        Assert.Equal(Driver.ErrorInvalidValue, Driver.cuMemsetD32Async(y + 4, 0, 25, device.Stream));
        Assert.Equal(Driver.Success, device.Synchronize()); // argument errors are not sticky
    }

    [Fact]
    public void ReadIntoPinnedMemoryWithoutSynchronisingSeesStaleData()
    {
        EmulatorRequirement.Ensure();
        using var device = new ProbeContext();
        const int n = 1000;
        var y = device.Allocate(n * sizeof(float));
        Driver.Check(Driver.cuMemAllocHost(out var pinned, n * sizeof(float)));
        try
        {
            var host = new Span<float>((void*)pinned, n);
            host.Fill(-7f);
            Assert.Equal(Driver.Success, device.Launch("store_past_end", 4, 256, y, 3f, n, 0));
            Driver.Check(Driver.cuMemcpyDtoHAsync((void*)pinned, y, n * sizeof(float), device.Stream));
            // Neither the kernel nor the copy has run: pinned memory is written when the stream is synchronised.
            Assert.All(host.ToArray(), v => Assert.Equal(-7f, v));
            Assert.Equal(Driver.Success, device.Synchronize());
            Assert.All(host.ToArray(), v => Assert.Equal(3f, v));
        }
        finally
        {
            Driver.cuMemFreeHost(pinned);
        }
    }

    [Fact]
    public void CopyIntoPageableMemoryCompletesBeforeReturning()
    {
        using var device = new ProbeContext();
        var y = device.Allocate(256 * sizeof(float));
        Assert.Equal(Driver.Success, device.Launch("store_past_end", 1, 256, y, 4f, 256, 0));
        Assert.All(device.Download<float>(y, 256), v => Assert.Equal(4f, v)); // no synchronise call
    }

    [Fact]
    public void HostToDeviceCopyFromPageableMemoryIsStagedAtTheCall()
    {
        using var device = new ProbeContext();
        var y = device.Allocate(16 * sizeof(float));
        var source = Enumerable.Repeat(1f, 16).ToArray();
        fixed (float* p = source) Driver.Check(Driver.cuMemcpyHtoDAsync(y, p, 16 * sizeof(float), device.Stream));
        Array.Fill(source, 9f); // after the call: not what the device receives
        Assert.All(device.Download<float>(y, 16), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void EventsTimeTheWorkBetweenThemOnceItRan()
    {
        using var device = new ProbeContext();
        Driver.Check(Driver.cuEventCreate(out var start, Driver.EventDefault));
        Driver.Check(Driver.cuEventCreate(out var end, Driver.EventDefault));
        try
        {
            var y = device.Allocate(1 << 20);
            Driver.Check(Driver.cuEventRecord(start, device.Stream));
            Assert.Equal(Driver.Success, device.Launch("store_past_end", 64, 256, y, 1f, 1 << 18, 0));
            Driver.Check(Driver.cuEventRecord(end, device.Stream));
            if (NativeLibraries.UsesEmulator) Assert.Equal(Driver.ErrorNotReady, Driver.cuEventElapsedTime(out _, start, end)); // nothing ran yet
            Driver.Check(Driver.cuEventSynchronize(end));
            Driver.Check(Driver.cuEventElapsedTime(out var milliseconds, start, end));
            Assert.InRange(milliseconds, 0f, 60_000f);
        }
        finally
        {
            Driver.cuEventDestroy(start);
            Driver.cuEventDestroy(end);
        }
    }

    [Fact]
    public void DeadlockedBlockFailsTheLaunchInsteadOfHanging()
    {
        EmulatorRequirement.Ensure();
        using var device = new ProbeContext();
        var y = device.Allocate(64 * sizeof(float));
        Assert.Equal(Driver.Success, device.Launch("divergent_collectives", 1, 64, y));
        int result = device.Synchronize();
        Assert.Equal(Driver.ErrorLaunchFailed, result);
        var detail = EmulatorControl.LastErrorDetail;
        Assert.Contains("kernel divergent_collectives failed: deadlock", detail);
        Assert.Contains("wait at __shfl*_sync (mask 0xffffffff) for lanes 0xffff0000", detail);
        Assert.Contains("schedule", detail); // names the seed, or that the order was the fixed one
    }

    [Fact]
    public void MemoryLimitIsReportedAndEnforced()
    {
        EmulatorRequirement.Ensure();
        using var device = new ProbeContext();
        Driver.Check(Driver.cuMemGetInfo(out var free, out var total));
        Assert.True(free <= total && total > 0);
        Assert.Equal(Driver.ErrorOutOfMemory, Driver.cuMemAlloc(out _, free + 1));
        Assert.Contains("out of emulated device memory", EmulatorControl.LastErrorDetail);
    }

    [Fact]
    public void KernelOfAnotherModuleIsNotFound()
    {
        using var device = new ProbeContext();
        Assert.Equal(Driver.Success, device.Launch("coordinates", 1, 1, device.Allocate(16)));
        var e = Assert.Throws<CudaException>(() => device.Launch("softmax_rows", 1, 1));
        Assert.Equal(Driver.ErrorNotFound, e.Status);
    }

    [Fact]
    public void SynchronisingACapturingStreamFailsAndInvalidatesTheCapture()
    {
        using var device = new ProbeContext();
        Driver.Check(Driver.cuStreamBeginCapture(device.Stream, Driver.StreamCaptureModeThreadLocal));
        Assert.Equal(Driver.ErrorStreamCaptureUnsupported, Driver.cuStreamSynchronize(device.Stream));
        Assert.Equal(Driver.ErrorStreamCaptureUnsupported, Driver.cuMemAlloc(out _, 64));
        Assert.Equal(Driver.ErrorStreamCaptureInvalidated, Driver.cuStreamEndCapture(device.Stream, out var graph));
        Assert.Equal(IntPtr.Zero, graph);
        Assert.Equal(Driver.Success, device.Synchronize()); // usable again once the capture ended
    }

    [Fact]
    public void ThreadCoordinatesCoverEveryThreadOnce()
    {
        using var device = new ProbeContext();
        var output = device.Allocate(3 * 96 * 16);
        Assert.Equal(Driver.Success, device.Launch("coordinates", 3, 96, output));
        var values = device.Download<int>(output, 3 * 96 * 4);
        for (int block = 0; block < 3; block++)
            for (int t = 0; t < 96; t++)
                Assert.Equal([t, 0, 0, block], values.AsSpan((block * 96 + t) * 4, 4).ToArray());
    }
}
