using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;
using RasNative.Cuda.Tests.Parity;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// RASNATIVE_CUDA_EMULATOR_SEED (or <see cref="EmulatorControl.ScheduleSeed"/>) permutes the order in which a
/// block's threads run between barriers, so a kernel that depends on the order fails under some seed.
/// </summary>
[Collection(nameof(ProcessWideSettingsCollection))]
public class ScheduleTests
{
    const ulong Seed = 20261128;

    [Fact]
    public void SeedPermutesThreadOrderReproduciblyAndTheFixedOrderIsStable()
    {
        EmulatorRequirement.Ensure();
        using var device = new ProbeContext();
        (int[] Before, int[] After) Run(ulong? seed)
        {
            using var _ = new SeedScope(seed);
            var counters = device.Upload<int>(new int[4]);
            ulong before = device.Allocate(2 * 256 * 4), after = device.Allocate(2 * 256 * 4);
            Assert.Equal(Driver.Success, device.Launch("run_order", 2, 256, counters, before, after));
            return (device.Download<int>(before, 512), device.Download<int>(after, 512));
        }
        var fixedOrder = Run(null);
        Assert.Equal(Enumerable.Range(0, 256).Concat(Enumerable.Range(0, 256)), fixedOrder.Before); // thread order
        var again = Run(null);
        Assert.Equal(fixedOrder.Before, again.Before);
        Assert.Equal(fixedOrder.After, again.After);
        var seeded = Run(Seed);
        var reseeded = Run(Seed);
        Assert.Equal(seeded.Before, reseeded.Before);
        Assert.Equal(seeded.After, reseeded.After);
        Assert.NotEqual(fixedOrder.Before, seeded.Before);
        Assert.NotEqual(fixedOrder.After, seeded.After);
        Assert.NotEqual(seeded.Before, Run(Seed + 1).Before);
        Assert.Equal(Enumerable.Range(0, 256), seeded.Before[..256].Order()); // a permutation of the block
    }

    [Fact]
    public void RemovingABarrierFromBlockSumFailsUnderASeed()
    {
        EmulatorRequirement.Ensure();
        var embedded = KernelSourceSet.Embedded;
        const string barrier = "    if (lane == 0) scratch[warp] = v;\n    __syncthreads();\n";
        using var copy = new SourceCopy(embedded, "ras.cuh", text => text.Replace(barrier, "    if (lane == 0) scratch[warp] = v;\n"));
        string[] users = ["attention d96 score matrix path", "layernorm modulate", "rmsnorm modulate", "layernorm affine"];
        using var _ = new SeedScope(Seed);
        using var intact = GpuRequirement.CreateBackend(CudaDType.F32, embedded);
        using var broken = GpuRequirement.CreateBackend(CudaDType.F32, copy.Sources);
        foreach (var opCase in OpCases.All.Where(c => users.Contains(c.Name)))
        {
            var expected = OpParity.Expected(opCase, CudaDType.F32);
            double tolerance = OpParity.Tolerance(CudaDType.F32);
            Assert.True(OpParity.Error(expected, OpParity.Run(intact, opCase, CudaDType.F32)) <= tolerance, $"{opCase.Name} with every barrier, seed {Seed}");
            Assert.True(OpParity.Error(expected, OpParity.Run(broken, opCase, CudaDType.F32)) > tolerance, $"{opCase.Name} passes without the barrier, seed {Seed}");
        }
    }

    /// <summary>
    /// The flash kernel's cp.async double buffering, shared-memory staging and warp collectives hold under a permuted
    /// schedule: every flash attention case (all but the score-matrix one) still agrees with the CPU.
    /// </summary>
    [Theory]
    [InlineData(CudaDType.F32)]
    [InlineData(CudaDType.BF16)]
    public void FlashAttentionAgreesUnderASeededSchedule(CudaDType dtype)
    {
        EmulatorRequirement.Ensure();
        using var _ = new SeedScope(Seed);
        using var backend = GpuRequirement.CreateBackend(dtype);
        foreach (var opCase in OpCases.All.Where(c => c.Name.StartsWith("attention", StringComparison.Ordinal) && !c.Name.Contains("score matrix")))
        {
            double error = OpParity.Error(OpParity.Expected(opCase, dtype), OpParity.Run(backend, opCase, dtype));
            Assert.True(error <= OpParity.Tolerance(dtype), $"{opCase.Name} ({dtype}) under seed {Seed}: {error:E3}");
        }
    }

    /// <summary>Sets the process-wide schedule seed for a scope (other tests still pass under any schedule).</summary>
    sealed class SeedScope : IDisposable
    {
        readonly ulong? previous = EmulatorControl.ScheduleSeed;

        public SeedScope(ulong? seed) => EmulatorControl.ScheduleSeed = seed;

        public void Dispose() => EmulatorControl.ScheduleSeed = previous;
    }
}

/// <summary>Tests that change process-wide settings (the schedule seed, environment variables) run alone.</summary>
[CollectionDefinition(nameof(ProcessWideSettingsCollection), DisableParallelization = true)]
public sealed class ProcessWideSettingsCollection;
