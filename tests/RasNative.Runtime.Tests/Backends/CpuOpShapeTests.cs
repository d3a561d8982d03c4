using RasNative.Runtime.Cpu;
using Xunit;

namespace RasNative.Runtime.Tests.Backends;

/// <summary>
/// Every op case of <see cref="OpShapeCases"/> on the CPU backend: the call throws the case's ArgumentException and writes
/// nothing, neither inside the views nor in the guard regions around them.
/// </summary>
public sealed class CpuOpShapeTests
{
    [Theory]
    [MemberData(nameof(OpShapeCases.Names), MemberType = typeof(OpShapeCases))]
    public void BadShapeThrowsAndWritesNothing(string name)
    {
        var @case = OpShapeCases.Named(name);
        using var backend = new CpuBackend();
        var tensors = new GuardedTensors();
        var call = @case.Build(backend, tensors);
        var before = tensors.Snapshot();
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.StartsWith(@case.Message, error.Message);
        tensors.AssertUnchanged(before);
    }

    [Fact]
    public void DownloadIntoABufferOfAnotherLengthIsRefused()
    {
        using var backend = new CpuBackend();
        var x = new GuardedTensors().Tensor(2, 5);
        var larger = new float[11];
        Assert.Throws<ArgumentException>(() => backend.Download(x, larger));
        Assert.All(larger, v => Assert.Equal(0f, v));
    }

    /// <summary>In-place forms the models use stay allowed: the output is the input itself.</summary>
    [Fact]
    public void InPlaceCallsAreAllowed()
    {
        using var backend = new CpuBackend();
        var x = OpShapeCases.InPlaceCalls(backend, new GuardedTensors());
        Assert.All(x.Span().ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
