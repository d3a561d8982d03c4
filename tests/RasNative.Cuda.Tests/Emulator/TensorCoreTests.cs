using RasNative.Cuda.Native;
using RasNative.Loaders;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// The tensor-core building blocks of ras_tensor_core.cuh against the PTX ISA's fragment tables, lane by lane (on
/// the emulator its emulation, on a GPU the instructions themselves).
/// </summary>
public class TensorCoreTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MmaM16N8K16GivesEachLaneTheElementsOfTheTable(bool bf16)
    {
        using var device = new ProbeContext();
        var random = new Random(5);
        // Small integers: exact in f16 and bf16 and in any summation order.
        float[] a = Values(random, 16 * 16), b = Values(random, 16 * 8), c = Values(random, 16 * 8);
        ushort Bits(float v) => bf16 ? FloatConversions.SingleToBFloat16(v) : FloatConversions.SingleToHalf(v);
        var d = device.Allocate(32 * 4 * sizeof(float));
        Assert.Equal(Driver.Success, device.Launch("mma_tables", 1, 32, device.Upload<ushort>(a.Select(Bits).ToArray()),
            device.Upload<ushort>(b.Select(Bits).ToArray()), device.Upload<float>(c), d, bf16 ? 1 : 0));
        var lanes = device.Download<float>(d, 32 * 4);
        for (int lane = 0; lane < 32; lane++)
            for (int i = 0; i < 4; i++)
            {
                // d_i: row groupID (+8 for i ≥ 2), col threadID_in_group·2 + (i & 1).
                int row = (lane >> 2) + (i >= 2 ? 8 : 0), col = (lane & 3) * 2 + (i & 1);
                float expected = c[row * 8 + col];
                for (int k = 0; k < 16; k++) expected += a[row * 16 + k] * b[k * 8 + col];
                Assert.True(expected == lanes[lane * 4 + i], $"lane {lane} d{i} = D[{row}][{col}]: {lanes[lane * 4 + i]}, expected {expected}");
            }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    public void LdmatrixGivesEachLaneTheElementsOfTheTable(int count, bool transpose)
    {
        using var device = new ProbeContext();
        var output = device.Allocate(32 * 4 * sizeof(uint));
        Assert.Equal(Driver.Success, device.Launch("ldmatrix_tables", 1, 32, output, count, transpose ? 1 : 0));
        var registers = device.Download<uint>(output, 32 * 4);
        for (int lane = 0; lane < 32; lane++)
            for (int m = 0; m < count; m++)
            {
                // Element (m, row, col) holds 64·m + 8·row + col. Without .trans a lane holds row lane/4, columns
                // 2·(lane%4) and +1; with .trans rows 2·(lane%4) and +1 of column lane/4.
                int quad = (lane & 3) * 2, group = lane >> 2;
                uint low = (uint)(64 * m + (transpose ? 8 * quad + group : 8 * group + quad));
                uint high = (uint)(64 * m + (transpose ? 8 * (quad + 1) + group : 8 * group + quad + 1));
                Assert.True((low | high << 16) == registers[lane * 4 + m], $"lane {lane} matrix {m}: {registers[lane * 4 + m]:x8}, expected {low | high << 16:x8}");
            }
    }

    [Fact]
    public void CpAsyncDataLandsAtItsWaitGroup()
    {
        using var device = new ProbeContext();
        var source = Enumerable.Range(0, 128 * 4).Select(i => (float)i).ToArray();
        ulong before = device.Allocate(64 * 16), between = device.Allocate(128 * 16), after = device.Allocate(128 * 16);
        ulong after4 = device.Allocate(64 * 4), after8 = device.Allocate(64 * 8);
        Assert.Equal(Driver.Success, device.Launch("cp_async_groups", 1, 64, device.Upload<float>(source), before, between, after, after4, after8));
        var read = (Before: device.Download<float>(before, 64 * 4), Between: device.Download<float>(between, 128 * 4), After: device.Download<float>(after, 128 * 4));
        for (int t = 0; t < 64; t++)
        {
            float[] first = source[(4 * t)..(4 * t + 4)], second = source[(4 * (64 + t))..(4 * (64 + t) + 4)];
            Assert.Equal(first, read.Between[(8 * t)..(8 * t + 4)]);   // wait_group 1: the older group has landed
            Assert.Equal(first, read.After[(8 * t)..(8 * t + 4)]);
            Assert.Equal(second, read.After[(8 * t + 4)..(8 * t + 8)]);
            if (!NativeLibraries.UsesEmulator) continue;
            // On a GPU these reads race the copies; the emulator lands data exactly at the wait, so a missing wait
            // always reads what shared memory held before.
            Assert.Equal([-1f, -1f, -1f, -1f], read.Before[(4 * t)..(4 * t + 4)]);
            Assert.Equal([-2f, -2f, -2f, -2f], read.Between[(8 * t + 4)..(8 * t + 8)]);
        }
        Assert.Equal(source[..64], device.Download<float>(after4, 64));
        Assert.Equal(source[..128], device.Download<float>(after8, 128));
    }

    static float[] Values(Random random, int count) => Enumerable.Range(0, count).Select(_ => (float)random.Next(-4, 5)).ToArray();
}
