using RasNative.Runtime.Backends;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>
/// The flash kernel's non-finite semantics against the CPU backend's (PyTorch's SDPA, docs/ARCHITECTURE.md): the
/// same outputs NaN, the rest within the dtype's parity bound. Per batch row, over keys spanning several key tiles:
/// 0 — a NaN query (its row NaN) and a NaN value at a masked key (that channel NaN for every query);
/// 1 — a NaN key at a masked key (a masked NaN score stays NaN: head 0's rows NaN) and a whole masked key tile of
/// finite keys (skipped); 2 — every key masked, a NaN query (head 1: every tile finite and skipped, all zeros)
/// and a NaN value (head 0: its tile is visited, 0·NaN makes that channel NaN for every query).
/// </summary>
public class AttentionNonFiniteTests
{
    const int Batch = 3, Heads = 2, HeadDim = 16, Queries = 20, Keys = 150;

    [Theory]
    [InlineData(CudaDType.F32)]
    [InlineData(CudaDType.F16)]
    [InlineData(CudaDType.BF16)]
    public void MatchesCpu(CudaDType dtype)
    {
        using var gpu = GpuRequirement.CreateBackend(dtype);
        var opCase = new OpCase("attention non-finite", Run);
        // One output, written whole.
        var expected = Assert.Single(OpParity.Expected(opCase, dtype)).Values;
        var actual = Assert.Single(OpParity.Run(gpu, opCase, dtype)).Values;

        Assert.Equal(expected.Length, actual.Length);
        int nan = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsNaN(expected[i]) == float.IsNaN(actual[i]), $"element {i}: cpu {expected[i]}, gpu {actual[i]}");
            if (float.IsNaN(expected[i])) nan++;
        }
        // Row (0, 3) of head 0: 16; channel 5 of head 1 in batch 0: 20; head 0 of batch 1: 320; channel 3 of head 0 in batch 2: 20.
        Assert.Equal(HeadDim + Queries + Queries * HeadDim + Queries, nan);
        var finiteExpected = expected.Where(v => !float.IsNaN(v)).ToArray();
        var finiteActual = actual.Where(v => !float.IsNaN(v)).ToArray();
        double error = Closeness.RelativeL2(finiteExpected, finiteActual), tolerance = OpParity.Tolerance(dtype);
        Assert.True(error <= tolerance, $"{dtype}: finite outputs ‖gpu−cpu‖/‖cpu‖ = {error:E3} > {tolerance:E0}");
        // Batch row 2 (every key masked) is zeros but for its NaN channel, the NaN query's row too.
        int rowWidth = Heads * HeadDim;
        for (int i = 2 * Queries * rowWidth; i < 3 * Queries * rowWidth; i++)
            if (i % rowWidth != 3) Assert.Equal(0f, actual[i]);
    }

    static void Run(OpHarness h)
    {
        int width = Heads * HeadDim;
        var q = h.Values(2f, Batch * Queries * width);
        var k = h.Values(2f, Batch * Keys * width);
        var v = h.Values(1f, Batch * Keys * width);
        var mask = Enumerable.Repeat(1f, Batch * Keys).ToArray();

        q[(0 * Queries + 3) * width + 0 * HeadDim + 7] = float.NaN;
        v[(0 * Keys + 140) * width + 1 * HeadDim + 5] = float.NaN;
        mask[0 * Keys + 140] = 0f;

        k[(1 * Keys + 10) * width + 0 * HeadDim + 2] = float.NaN;
        mask[1 * Keys + 10] = 0f;
        for (int j = 64; j < 128; j++) mask[1 * Keys + j] = 0f;

        q[(2 * Queries + 5) * width + 1 * HeadDim + 1] = float.NaN;
        v[(2 * Keys + 100) * width + 0 * HeadDim + 3] = float.NaN;
        for (int j = 0; j < Keys; j++) mask[2 * Keys + j] = 0f;

        h.Backend.Attention(new AttentionArgs
        {
            Query1 = h.Constant(q, Batch, Queries, width),
            Key1 = h.Constant(k, Batch, Keys, width),
            Value1 = h.Constant(v, Batch, Keys, width),
            Output1 = h.Output(Batch, Queries, width),
            Heads = Heads, HeadDim = HeadDim, Scale = 1f / MathF.Sqrt(HeadDim),
            KeyMask = h.Constant(mask, Batch, Keys),
        });
    }
}
