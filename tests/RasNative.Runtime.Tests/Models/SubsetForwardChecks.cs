using RasNative.Runtime.Tensors;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>Shared pieces of the RAS invariant tests of both models (outputs pre-filled with NaN).</summary>
internal static class SubsetForwardChecks
{
    const double Atol = 1e-5, Rtol = 1e-5;

    /// <summary>Two thirds of the grid's patches, in a scrambled (non-spatial) order as the RAS policy gives them.</summary>
    public static int[] ScrambledSubset(Tensor latent, int patchSize)
    {
        int patches = latent.Dim(2) / patchSize * (latent.Dim(3) / patchSize);
        return [.. Enumerable.Range(0, patches).OrderBy(i => (i * 7919) % patches).Where((_, i) => i % 3 != 1)];
    }

    public static int[] AllPatchesReversed(Tensor latent, int patchSize) =>
        [.. Enumerable.Range(0, latent.Dim(2) / patchSize * (latent.Dim(3) / patchSize)).Reverse()];

    /// <summary>The subset output equals the dense one on the active patches and left every other pixel unwritten.</summary>
    public static void AssertMatchesOnPatches(float[] dense, float[] subset, Tensor latent, int outChannels, int patchSize, int[] active, string what)
    {
        var onPatches = PatchPixels(latent, outChannels, patchSize, active);
        Assert.NotEmpty(onPatches);
        Closeness.AssertClose([.. onPatches.Select(i => dense[i])], [.. onPatches.Select(i => subset[i])], Atol, Rtol, $"{what} active patches");
        var untouched = Enumerable.Range(0, dense.Length).Except(onPatches);
        Assert.All(untouched, i => Assert.True(float.IsNaN(subset[i]), $"pixel {i} of a skipped patch was written"));
    }

    public static void AssertEqualsDense(float[] dense, float[] subset, string what) => Closeness.AssertClose(dense, subset, Atol, Rtol, what);

    /// <summary>Flat output indices (every batch row and channel) of the given patches.</summary>
    static int[] PatchPixels(Tensor latent, int outChannels, int p, int[] patches)
    {
        int height = latent.Dim(2), width = latent.Dim(3), planes = latent.Dim(0) * outChannels, gridW = width / p;
        return [.. from plane in Enumerable.Range(0, planes)
                   from patch in patches
                   from py in Enumerable.Range(0, p)
                   from px in Enumerable.Range(0, p)
                   select plane * height * width + (patch / gridW * p + py) * width + patch % gridW * p + px];
    }
}
