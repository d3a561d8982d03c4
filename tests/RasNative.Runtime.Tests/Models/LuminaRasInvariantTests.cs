using RasNative.Runtime.Models;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>
/// The Lumina token-subset forward with the attn1 K/V cache, against the dense forward: (a) right after a store
/// step with the same inputs, a subset reproduces the dense output on its patches; (b) the full set through the
/// subset path equals the dense forward.
/// </summary>
public class LuminaRasInvariantTests
{
    [Theory]
    [InlineData("case_b")]   // batch 2 with a padded caption row
    [InlineData("case_c")]   // non-square grid, linear RoPE scaling, proportional scale ≠ 1/√hd
    [InlineData("case_d")]   // NTK RoPE scaling, no proportional attention
    public void SubsetAfterStoreReproducesTheDenseForwardOnItsPatches(string caseName)
    {
        var (backend, model, inputs) = Setup(caseName);
        using var _ = backend;
        var dense = LuminaFixture.Run(model, backend, inputs, null, KvCacheMode.Store);
        var active = SubsetForwardChecks.ScrambledSubset(inputs.HiddenStates, model.Config.PatchSize);
        var subset = LuminaFixture.Run(model, backend, inputs, active, KvCacheMode.Update);
        SubsetForwardChecks.AssertMatchesOnPatches(dense, subset, inputs.HiddenStates, model.Config.OutChannels, model.Config.PatchSize, active, caseName);
    }

    [Theory]
    [InlineData("case_a")]
    [InlineData("case_c")]
    public void FullSetThroughTheSubsetPathEqualsTheDenseForward(string caseName)
    {
        var (backend, model, inputs) = Setup(caseName);
        using var _ = backend;
        var dense = LuminaFixture.Run(model, backend, inputs, null, KvCacheMode.Store);
        var subset = LuminaFixture.Run(model, backend, inputs, SubsetForwardChecks.AllPatchesReversed(inputs.HiddenStates, model.Config.PatchSize), KvCacheMode.Update);
        SubsetForwardChecks.AssertEqualsDense(dense, subset, caseName);
    }

    /// <summary>
    /// A subset attends the cached keys of the other tokens: after storing keys for different latents, the
    /// same subset forward gives a different output (a forward that ignored the cache would not).
    /// </summary>
    [Fact]
    public void SubsetReadsTheCachedKeysOfSkippedTokens()
    {
        var (backend, model, inputs) = Setup("case_a");
        using var _ = backend;
        var active = SubsetForwardChecks.AllPatchesReversed(inputs.HiddenStates, model.Config.PatchSize)[..16];
        LuminaFixture.Run(model, backend, inputs, null, KvCacheMode.Store);
        var afterOwnStore = LuminaFixture.Run(model, backend, inputs, active, KvCacheMode.Update);
        var shifted = inputs with { Timestep = [0.9f] };
        LuminaFixture.Run(model, backend, shifted, null, KvCacheMode.Store);
        var afterOtherStore = LuminaFixture.Run(model, backend, inputs, active, KvCacheMode.Update);
        Assert.Contains(Enumerable.Range(0, afterOwnStore.Length), i => Math.Abs(afterOwnStore[i] - afterOtherStore[i]) > 1e-3);
    }

    /// <summary>A RAS step may skip every patch (skip count = P with high ratio 1): the forward runs and writes no pixel.</summary>
    [Fact]
    public void EmptySubsetWritesNothing()
    {
        var (backend, model, inputs) = Setup("case_b");
        using var _ = backend;
        LuminaFixture.Run(model, backend, inputs, null, KvCacheMode.Store);
        Assert.All(LuminaFixture.Run(model, backend, inputs, [], KvCacheMode.Update), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void SubsetWithoutAStoredCacheIsRefused()
    {
        var (backend, model, inputs) = Setup("case_a");
        using var _ = backend;
        Assert.Throws<InvalidOperationException>(() => LuminaFixture.Run(model, backend, inputs, [0, 1, 2], KvCacheMode.Update));
    }

    static (CpuBackend, LuminaNextTransformer, LuminaNextInputs) Setup(string caseName)
    {
        var backend = new CpuBackend();
        var model = LuminaFixture.LoadModel(LuminaFixture.ModelPath, backend);
        using var file = LuminaFixture.OpenCase(caseName);
        return (backend, model, LuminaFixture.LoadInputs(file, backend));
    }

}
