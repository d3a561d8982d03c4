using RasNative.Runtime.Models;
using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>
/// The token-subset forward with the K/V cache, against the dense forward: (a) right after a store step with the
/// same inputs, a subset reproduces the dense output on its patches; (b) the full set through the subset path
/// equals the dense forward.
/// </summary>
public class Sd3RasInvariantTests
{
    [Theory]
    [InlineData("sd3-tiny", "case_b")]
    [InlineData("sd3-tiny", "case_c")]
    [InlineData("sd35-tiny", "case_b")]
    [InlineData("sd35-tiny", "case_c")]
    public void SubsetAfterStoreReproducesTheDenseForwardOnItsPatches(string model, string caseName)
    {
        var (backend, transformer, inputs) = Setup(model, caseName);
        using var _ = backend;
        var dense = Forward(backend, transformer, inputs, null, KvCacheMode.Store);
        var active = SubsetForwardChecks.ScrambledSubset(inputs.HiddenStates, transformer.Config.PatchSize);
        var subset = Forward(backend, transformer, inputs, active, KvCacheMode.Update);
        SubsetForwardChecks.AssertMatchesOnPatches(dense, subset, inputs.HiddenStates, transformer.Config.OutChannels, transformer.Config.PatchSize, active, $"{model}/{caseName}");
    }

    [Theory]
    [InlineData("sd3-tiny", "case_d")]
    [InlineData("sd35-tiny", "case_a")]
    public void FullSetThroughTheSubsetPathEqualsTheDenseForward(string model, string caseName)
    {
        var (backend, transformer, inputs) = Setup(model, caseName);
        using var _ = backend;
        var dense = Forward(backend, transformer, inputs, null, KvCacheMode.Store);
        var subset = Forward(backend, transformer, inputs, SubsetForwardChecks.AllPatchesReversed(inputs.HiddenStates, transformer.Config.PatchSize), KvCacheMode.Update);
        SubsetForwardChecks.AssertEqualsDense(dense, subset, $"{model}/{caseName}");
    }

    /// <summary>A RAS step may skip every patch (skip count = P with high ratio 1): the forward runs and writes no pixel.</summary>
    [Fact]
    public void EmptySubsetWritesNothing()
    {
        var (backend, transformer, inputs) = Setup("sd35-tiny", "case_b");
        using var _ = backend;
        Forward(backend, transformer, inputs, null, KvCacheMode.Store);
        Assert.All(Forward(backend, transformer, inputs, [], KvCacheMode.Update), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void SubsetWithoutAStoredCacheIsRefused()
    {
        var (backend, transformer, inputs) = Setup("sd3-tiny", "case_a");
        using var _ = backend;
        Assert.Throws<InvalidOperationException>(() => Forward(backend, transformer, inputs, [0, 1, 2], KvCacheMode.Update));
    }

    static (CpuBackend, Sd3Transformer, Sd3Inputs) Setup(string model, string caseName)
    {
        var backend = new CpuBackend();
        var transformer = Sd3Fixture.LoadModel(Sd3Fixture.ModelPath(model), backend);
        using var file = Sd3Fixture.OpenCase(model, caseName);
        return (backend, transformer, Sd3Fixture.LoadInputs(file, backend));
    }

    /// <summary>Runs one forward into an output pre-filled with NaN, so unwritten pixels stay visible.</summary>
    static float[] Forward(CpuBackend backend, Sd3Transformer model, Sd3Inputs inputs, int[]? active, KvCacheMode mode)
    {
        var latent = inputs.HiddenStates;
        var output = backend.Allocate(latent.Dim(0), model.Config.OutChannels, latent.Dim(2), latent.Dim(3));
        backend.Fill(output, float.NaN);
        model.Forward(inputs, output, active, mode);
        var result = new float[output.Length];
        backend.Download(output, result);
        return result;
    }

}
