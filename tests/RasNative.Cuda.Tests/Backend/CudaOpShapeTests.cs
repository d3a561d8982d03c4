using RasNative.Runtime.Tests.Backends;
using Xunit;

namespace RasNative.Cuda.Tests.Backend;

/// <summary>
/// Every op case of <see cref="OpShapeCases"/> (linked from the CPU tests) on the CUDA backend: the call throws the same
/// ArgumentException as on the CPU before any device work is queued (no launch, no cuBLAS call, no copy, no
/// allocation), and no element of any tensor or its guards changes.
/// </summary>
public sealed class CudaOpShapeTests
{
    [Theory]
    [MemberData(nameof(OpShapeCases.Names), MemberType = typeof(OpShapeCases))]
    public void BadShapeThrowsBeforeAnyDeviceWork(string name)
    {
        var @case = OpShapeCases.Named(name);
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var tensors = new DeviceGuardedTensors(backend);
        var call = @case.Build(backend, tensors);
        var before = tensors.Snapshot();
        backend.Calls.Counters.Reset();
        var error = Assert.ThrowsAny<ArgumentException>(call);
        var work = backend.Calls.Counters.Snapshot().Totals;
        Assert.StartsWith(@case.Message, error.Message);
        Assert.True(work is { Launches: 0, BlasCalls: 0, Copies: 0, Allocations: 0 }, $"{name}: device work before the refusal: {work}");
        tensors.AssertUnchanged(before);
    }

    /// <summary>The in-place forms the models use pass the same checks on the CUDA backend.</summary>
    [Fact]
    public void InPlaceCallsAreAllowed()
    {
        using var backend = GpuRequirement.CreateBackend(CudaDType.F32);
        var x = OpShapeCases.InPlaceCalls(backend, new DeviceGuardedTensors(backend));
        var values = new float[x.Length];
        backend.Download(x, values);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
    }
}
