using RasNative.Sampler.Ras;
using Xunit;

namespace RasNative.Sampler.Tests;

public class RasStepPlanTests
{
    static int[] Where(int steps, Func<int, bool> predicate) => [.. Enumerable.Range(0, steps).Where(predicate)];

    [Fact]
    public void Sd3ScriptClassification()
    {
        var plan = new RasStepPlan(RasOptions.Sd3Defaults(28), 28, 4096);
        Assert.Equal([0, 1, 2, 3, 12, 20], Where(28, i => !plan.IsRasStep(i)));
        Assert.Equal([3, 12, 20], Where(28, plan.IsStoreStep));
        // Selections prepare every RAS step: after steps 3–10, 12–18 and 20–26.
        Assert.Equal(Where(28, i => plan.IsRasStep(i + 1)), Where(28, plan.ShouldSelectAfter));
        Assert.DoesNotContain(27, Where(28, plan.ShouldSelectAfter));
    }

    [Theory]
    [InlineData("ras", "ras_std_r025")]
    [InlineData("ras", "ras_l2_dyn")]
    [InlineData("ras-lumina", "ras_lumina_dyn")]
    [InlineData("ras-lumina", "ras_static_l2")]
    public void MatchesTheManagersFlagsInTheReferenceRuns(string folder, string run)
    {
        using var trace = RasTrace.Load(folder, run);
        var plan = new RasStepPlan(trace.Options, trace.Steps, trace.Height / 2 * (trace.Width / 2));
        for (var i = 0; i < trace.Steps; i++)
        {
            var step = trace.Step(i);
            Assert.Equal(step.GetProperty("is_RAS_step").GetBoolean(), plan.IsRasStep(i));
            Assert.Equal(step.GetProperty("selection_for_next_step").GetBoolean(), plan.ShouldSelectAfter(i));
            if (step.TryGetProperty("kv_cache", out var kv))
                Assert.Equal(kv.GetString() == "store_full", plan.IsStoreStep(i));
        }
    }

    [Fact]
    public void RatioOneMakesEveryStepDense()
    {
        var plan = new RasStepPlan(RasOptions.Sd3Defaults(28) with { SampleRatio = 1.0 }, 28, 4096);
        Assert.False(plan.Enabled);
        Assert.Empty(Where(28, i => plan.IsRasStep(i) || plan.IsStoreStep(i) || plan.ShouldSelectAfter(i)));
    }

    [Fact]
    public void RasStepsWithAZeroSkipCountRunDense()
    {
        var options = new RasOptions(0.8125, 4, 30, [12, 22], RasMetric.Std, 1.0, SkipNumStep: 256, SkipNumStepLength: 4);
        var plan = new RasStepPlan(options, 30, 4096);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 12, 22], Where(30, i => !plan.IsRasStep(i)));
        Assert.Equal(Where(30, i => plan.IsRasStep(i + 1)), Where(30, plan.ShouldSelectAfter));
    }

    [Fact]
    public void DenseStepsOfTheRasRangeStoreTheCacheAndStepsAfterTheEndDoNot()
    {
        // Steps 4–7 skip no patch and run dense: like start − 1 and the resets they refresh the cache.
        var options = new RasOptions(0.8125, 4, 30, [12, 22], RasMetric.Std, 1.0, SkipNumStep: 256, SkipNumStepLength: 4);
        Assert.Equal([3, 4, 5, 6, 7, 12, 22], Where(30, new RasStepPlan(options, 30, 4096).IsStoreStep));
        var endsEarly = new RasStepPlan(new RasOptions(0.5, 4, 8, [], RasMetric.Std, 0.3), 12, 144);
        Assert.Equal([3], Where(12, endsEarly.IsStoreStep));
    }

    [Fact]
    public void EndBeforeTheLastStepKeepsTheOfficialBounds()
    {
        // RAS(i) allows i == end, the selection only i + 1 < end: step 8 is a RAS step reusing step 7's selection.
        var plan = new RasStepPlan(new RasOptions(0.5, 4, 8, [], RasMetric.Std, 0.3), 12, 144);
        Assert.Equal([4, 5, 6, 7, 8], Where(12, plan.IsRasStep));
        Assert.Equal([3, 4, 5, 6], Where(12, plan.ShouldSelectAfter));
    }
}
