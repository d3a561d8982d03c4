using RasNative.Sampler.Ras;
using Xunit;

namespace RasNative.Sampler.Tests;

public class SkipScheduleTests
{
    const int Patches4096 = 4096;

    [Theory]
    [InlineData("ras", "ras_std_r025", new[] { 0, 0, 0, 108, 108, 108, 108, 0, 108, 108, 108, 108 })]
    [InlineData("ras", "ras_l2_dyn", new[] { 0, 0, 0, 64, 64, 64, 64, 0, 64, 128, 128, 128 })]
    [InlineData("ras", "dense", new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("ras-lumina", "ras_lumina_dyn", new[] { 0, 0, 0, 0, 64, 64, 64, 0, 128, 128, 0, 128, 192, 192 })]
    [InlineData("ras-lumina", "ras_static_l2", new[] { 0, 0, 0, 153, 153, 153, 153, 153, 0, 153, 153, 153, 153, 153 })]
    [InlineData("ras-lumina", "dense", new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void ReproducesTheReferenceRunsLists(string folder, string run, int[] documented)
    {
        using var trace = RasTrace.Load(folder, run);
        var patches = trace.Height / 2 * (trace.Width / 2);
        var skip = SkipSchedule.Build(trace.Options, trace.Steps, patches);
        Assert.Equal(trace.SkipList, skip);
        Assert.Equal(documented, skip);
    }

    [Fact]
    public void Sd3ScriptList()
    {
        var options = new RasOptions(0.5, 4, 28, [12, 20], RasMetric.Std, 0.3);
        int[] expected = [0, 0, 0, 0, .. Enumerable.Repeat(2048, 8), 0, .. Enumerable.Repeat(2048, 7), 0, .. Enumerable.Repeat(2048, 7)];
        Assert.Equal(expected, SkipSchedule.Build(options, 28, Patches4096));
        Assert.Equal(expected, SkipSchedule.Build(RasOptions.Sd3Defaults(28), 28, Patches4096));
    }

    [Fact]
    public void LuminaScriptList()
    {
        int[] expected =
        [
            0, 0, 0, 0, 1280, 1280, 1280, 1280, 1536, 1536, 1536, 1536, 0, 1792, 1792, 1792,
            2048, 2048, 2048, 2048, 2304, 2304, 0, 2304, 2560, 2560, 2560, 2560, 2816, 2816,
        ];
        var explicitFlags = new RasOptions(0.5, 4, 30, [12, 22], RasMetric.Std, 1.0, SkipNumStep: 256, SkipNumStepLength: 4);
        Assert.Equal(expected, SkipSchedule.Build(explicitFlags, 30, Patches4096));
        Assert.Equal(expected, SkipSchedule.Build(RasOptions.LuminaDefaults(30, Patches4096), 30, Patches4096));
    }

    [Theory]
    [InlineData(10, new[] { 4, 7 })]
    [InlineData(28, new[] { 12, 20 })]
    [InlineData(50, new[] { 21, 36 })]
    [InlineData(5, new[] { 4 })]
    [InlineData(3, new int[0])]
    public void Sd3DefaultsScaleTheResets(int steps, int[] resets)
    {
        var options = RasOptions.Sd3Defaults(steps);
        Assert.Equal(resets, options.ResetSteps);
        Assert.Equal((0.5, 4, steps, RasMetric.Std, 0.3, 0.1, 0), (options.SampleRatio, options.StartStep, options.EndStep,
            options.Metric, options.HighRatio, options.StarvationScale, options.SkipNumStepLength));
    }

    [Theory]
    [InlineData(10, new[] { 4, 7 })]
    [InlineData(30, new[] { 12, 22 })]
    [InlineData(50, new[] { 20, 37 })]
    public void LuminaDefaultsScaleTheResets(int steps, int[] resets) =>
        Assert.Equal(resets, RasOptions.LuminaDefaults(steps, Patches4096).ResetSteps);

    [Theory]
    [InlineData(4096, 256, 64)]
    [InlineData(1024, 64, 16)]
    [InlineData(256, 16, 4)]
    [InlineData(24, 2, 1)]   // 256·24/4096 = 1.5 rounds half to even: 2
    [InlineData(40, 2, 1)]   // 2.5 → 2
    public void LuminaDefaultsScaleTheDynamicScheduleWithThePatchCount(int patches, int step, int unit)
    {
        var options = RasOptions.LuminaDefaults(30, patches);
        Assert.Equal((step, 4, unit, true), (options.SkipNumStep, options.SkipNumStepLength, options.SkipRoundingUnit, options.ClampSkipCounts));
        Assert.All(SkipSchedule.Build(options, 30, patches), k => Assert.InRange(k, 0, patches));
    }

    [Fact]
    public void DefaultScheduleClampsWhereTheScaledCountsLeaveTheRange()
    {
        // 200 steps: the late stages would skip more than all 256 patches, the early ones fewer than none.
        var options = RasOptions.LuminaDefaults(200, 256);
        var skip = SkipSchedule.Build(options, 200, 256);
        Assert.Contains(0, skip[4..]);
        Assert.Contains(256, skip);
    }

    [Theory]
    [InlineData(768, 4, 0.5)]   // early stages negative
    [InlineData(256, 4, 0.9)]   // the Lumina settings above ratio 0.8125
    [InlineData(256, 1, 0.5)]   // stages of one step: the last ones exceed P
    public void ExplicitDynamicFlagsOutOfRangeAreRejectedNamingTheFlags(int skipNumStep, int length, double ratio)
    {
        var options = new RasOptions(ratio, 4, 30, [12, 22], RasMetric.Std, 1.0, SkipNumStep: skipNumStep, SkipNumStepLength: length);
        var error = Assert.Throws<RasConfigurationException>(() => SkipSchedule.Build(options, 30, Patches4096));
        Assert.Contains("--ras-skip-num-step", error.Message);
        Assert.Contains("--ras-skip-num-step-length", error.Message);
        Assert.Contains("--ras-ratio", error.Message);
    }

    [Fact]
    public void RatioOneIsDenseEvenWithADynamicSchedule()
    {
        var options = new RasOptions(1.0, 4, 30, [12, 22], RasMetric.Std, 1.0, SkipNumStep: 256, SkipNumStepLength: 4);
        Assert.All(SkipSchedule.Build(options, 30, Patches4096), k => Assert.Equal(0, k));
    }

    [Fact]
    public void DynamicScheduleCanReachZeroOnRasSteps()
    {
        // Lumina's flags at ratio 0.8125: steps 4–7 get 0, which the step plan then runs dense.
        var options = new RasOptions(0.8125, 4, 30, [12, 22], RasMetric.Std, 1.0, SkipNumStep: 256, SkipNumStepLength: 4);
        var skip = SkipSchedule.Build(options, 30, Patches4096);
        Assert.Equal([0, 0, 0, 0], skip[4..8]);
        Assert.True(skip[8] > 0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void RatioOutsideTheUnitIntervalIsRejected(double ratio) =>
        Assert.Throws<RasConfigurationException>(() =>
            SkipSchedule.Build(new RasOptions(ratio, 4, 30, [], RasMetric.Std, 1.0), 30, Patches4096));
}
