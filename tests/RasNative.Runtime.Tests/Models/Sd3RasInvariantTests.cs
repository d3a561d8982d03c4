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
    const double Atol = 1e-5, Rtol = 1e-5;

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
        int patches = PatchCount(inputs, transformer);
        var active = Enumerable.Range(0, patches).OrderBy(i => (i * 7919) % patches).Where((_, i) => i % 3 != 1).ToArray();
        var subset = Forward(backend, transformer, inputs, active, KvCacheMode.Update);
        var onPatches = PatchPixels(inputs, transformer, active);
        Assert.NotEmpty(onPatches);
        Closeness.AssertClose([.. onPatches.Select(i => dense[i])], [.. onPatches.Select(i => subset[i])], Atol, Rtol, $"{model}/{caseName} active patches");
        var untouched = Enumerable.Range(0, dense.Length).Except(onPatches);
        Assert.All(untouched, i => Assert.True(float.IsNaN(subset[i]), $"pixel {i} of a skipped patch was written"));
    }

    [Theory]
    [InlineData("sd3-tiny", "case_d")]
    [InlineData("sd35-tiny", "case_a")]
    public void FullSetThroughTheSubsetPathEqualsTheDenseForward(string model, string caseName)
    {
        var (backend, transformer, inputs) = Setup(model, caseName);
        using var _ = backend;
        var dense = Forward(backend, transformer, inputs, null, KvCacheMode.Store);
        var all = Enumerable.Range(0, PatchCount(inputs, transformer)).Reverse().ToArray();
        var subset = Forward(backend, transformer, inputs, all, KvCacheMode.Update);
        Closeness.AssertClose(dense, subset, Atol, Rtol, $"{model}/{caseName}");
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
        using var file = SafetensorsFile.Open(Path.Combine(Sd3Fixture.ModelPath(model), caseName + ".safetensors"));
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

    static int PatchCount(Sd3Inputs inputs, Sd3Transformer model) =>
        inputs.HiddenStates.Dim(2) / model.Config.PatchSize * (inputs.HiddenStates.Dim(3) / model.Config.PatchSize);

    /// <summary>Flat output indices (every batch row and channel) of the given patches.</summary>
    static int[] PatchPixels(Sd3Inputs inputs, Sd3Transformer model, int[] patches)
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
