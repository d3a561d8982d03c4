using System.Text.Json;
using RasNative.Sampler.Scheduling;
using RasNative.Tests;
using Xunit;

namespace RasNative.Sampler.Tests;

public class FlowMatchEulerScheduleTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(28)]
    [InlineData(50)]
    public void MatchesDiffusersScheduleBitwise(int steps)
    {
        var json = JsonDocument.Parse(File.ReadAllText(FixturePaths.Get("scheduler", $"schedule_{steps}.json"))).RootElement;
        var schedule = FlowMatchEulerSchedule.Create(steps, json.GetProperty("scheduler_config").GetProperty("shift").GetDouble());

        Assert.Equal(steps, schedule.Steps);
        Bits.AssertBitwise(Floats(json, "sigmas"), [.. schedule.Sigmas], "sigmas");
        Bits.AssertBitwise(Floats(json, "timesteps"), [.. schedule.Timesteps], "timesteps");
    }

    [Theory]
    [InlineData("ras", "ras_std_r025", 3.0)]
    [InlineData("ras-lumina", "ras_lumina_dyn", 1.0)]
    public void MatchesTheSchedulesOfTheRasRuns(string folder, string run, double shift)
    {
        using var trace = RasTrace.Load(folder, run);
        var schedule = FlowMatchEulerSchedule.Create(trace.Steps, shift);
        Bits.AssertBitwise(trace.Tensors.ReadFloat32("sigmas"), [.. schedule.Sigmas], "sigmas");
        Bits.AssertBitwise(trace.Tensors.ReadFloat32("timesteps"), [.. schedule.Timesteps], "timesteps");
    }

    [Fact]
    public void LastNonZeroSigmaIsShiftedTwice()
    {
        var schedule = FlowMatchEulerSchedule.Create(28, 3.0);
        Assert.Equal(0.0089286f, schedule.Sigmas[^2], 1e-6f);
        Assert.Equal(0f, schedule.Sigmas[^1]);
        Assert.Equal(1f, schedule.Sigmas[0]);
    }

    [Fact]
    public void SingleStepStartsAtSigmaMax()
    {
        var schedule = FlowMatchEulerSchedule.Create(1, 3.0);
        Assert.Equal([1f, 0f], schedule.Sigmas);
        Assert.Equal([1000f], schedule.Timesteps);
    }

    static float[] Floats(JsonElement json, string name) =>
        [.. json.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble())];
}
