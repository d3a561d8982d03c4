using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;
using Xunit;

namespace RasNative.Runtime.Tests.Backends;

/// <summary>
/// Every op case of <see cref="OpShapeCases"/> on the CPU backend: the call throws the case's ArgumentException and writes
/// nothing, neither inside the views nor in the guard regions around them.
/// </summary>
public sealed class CpuOpShapeTests
{
    public static TheoryData<string> Names => [.. OpShapeCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void BadShapeThrowsAndWritesNothing(string name)
    {
        var @case = OpShapeCases.All.Single(c => c.Name == name);
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
        var t = new GuardedTensors();
        var x = t.Tensor(2, 5, 6);
        backend.Multiply(x, t.Tensor(2, 5, 6), x);
        backend.Tanh(x, x);
        backend.RmsNormModulate(x, t.Tensor(6), null, x, 1e-5f);
        backend.LayerNorm(x, t.Tensor(6), t.Tensor(6), x, 1e-5f);
        backend.GatedResidual(x, x, new Modulation(t.Tensor(2, 12), 1));
        Assert.All(x.Span().ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
