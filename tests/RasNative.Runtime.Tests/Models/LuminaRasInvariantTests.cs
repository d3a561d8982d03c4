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
    const double Atol = 1e-5, Rtol = 1e-5;

    [Theory]
    [InlineData("case_b")]   // batch 2 with a padded caption row
    [InlineData("case_c")]   // non-square grid, linear RoPE scaling, proportional scale ≠ 1/√hd
    [InlineData("case_d")]   // NTK RoPE scaling, no proportional attention
    public void SubsetAfterStoreReproducesTheDenseForwardOnItsPatches(string caseName)
    {
        var (backend, model, inputs) = Setup(caseName);
        using var _ = backend;
        var dense = LuminaFixture.Run(model, backend, inputs, null, KvCacheMode.Store);
        int patches = PatchCount(inputs, model);
        var active = Enumerable.Range(0, patches).OrderBy(i => (i * 7919) % patches).Where((_, i) => i % 3 != 1).ToArray();
        var subset = LuminaFixture.Run(model, backend, inputs, active, KvCacheMode.Update);
        var onPatches = PatchPixels(inputs, model, active);
        Assert.NotEmpty(onPatches);
        Closeness.AssertClose([.. onPatches.Select(i => dense[i])], [.. onPatches.Select(i => subset[i])], Atol, Rtol, $"{caseName} active patches");
        var untouched = Enumerable.Range(0, dense.Length).Except(onPatches);
        Assert.All(untouched, i => Assert.True(float.IsNaN(subset[i]), $"pixel {i} of a skipped patch was written"));
    }

    [Theory]
    [InlineData("case_a")]
    [InlineData("case_c")]
    public void FullSetThroughTheSubsetPathEqualsTheDenseForward(string caseName)
    {
        var (backend, model, inputs) = Setup(caseName);
        using var _ = backend;
        var dense = LuminaFixture.Run(model, backend, inputs, null, KvCacheMode.Store);
        var all = Enumerable.Range(0, PatchCount(inputs, model)).Reverse().ToArray();
        var subset = LuminaFixture.Run(model, backend, inputs, all, KvCacheMode.Update);
        Closeness.AssertClose(dense, subset, Atol, Rtol, caseName);
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
        int patches = PatchCount(inputs, model);
        var active = Enumerable.Range(0, patches / 4).ToArray();
        LuminaFixture.Run(model, backend, inputs, null, KvCacheMode.Store);
        var afterOwnStore = LuminaFixture.Run(model, backend, inputs, active, KvCacheMode.Update);
        var shifted = inputs with { Timestep = [0.9f] };
        LuminaFixture.Run(model, backend, shifted, null, KvCacheMode.Store);
        var afterOtherStore = LuminaFixture.Run(model, backend, inputs, active, KvCacheMode.Update);
        var pixels = PatchPixels(inputs, model, active);
        Assert.Contains(pixels, i => Math.Abs(afterOwnStore[i] - afterOtherStore[i]) > 1e-3);
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

    static int PatchCount(LuminaNextInputs inputs, LuminaNextTransformer model) =>
        inputs.HiddenStates.Dim(2) / model.Config.PatchSize * (inputs.HiddenStates.Dim(3) / model.Config.PatchSize);

    /// <summary>Flat output indices (every batch row and channel) of the given patches.</summary>
    static int[] PatchPixels(LuminaNextInputs inputs, LuminaNextTransformer model, int[] patches)
    {
        int p = model.Config.PatchSize, height = inputs.HiddenStates.Dim(2), width = inputs.HiddenStates.Dim(3);
        int planes = inputs.HiddenStates.Dim(0) * model.Config.OutChannels, gridW = width / p;
        return [.. from plane in Enumerable.Range(0, planes)
                   from patch in patches
                   from py in Enumerable.Range(0, p)
                   from px in Enumerable.Range(0, p)
                   select plane * height * width + (patch / gridW * p + py) * width + patch % gridW * p + px];
    }
}
