using RasNative.Sampler.Ras;
using Xunit;

namespace RasNative.Sampler.Tests;

/// <summary>
/// Replays the reference runs of the official RAS code step by step through <see cref="RasController"/>, fed with
/// the recorded model outputs: the fill, every selection, the starvation counters and the cached pixel ids must
/// come out exactly as recorded.
/// </summary>
public class RasTraceReplayTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Runs => new()
    {
        { "ras", "ras_std_r025" },
        { "ras", "ras_l2_dyn" },
        { "ras", "dense" },
        { "ras-lumina", "ras_lumina_dyn" },
        { "ras-lumina", "ras_static_l2" },
        { "ras-lumina", "dense" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void ReproducesEveryFillAndSelection(string folder, string run)
    {
        using var trace = RasTrace.Load(folder, run);
        var grid = new PatchGrid(trace.Height, trace.Width, 2);
        var controller = new RasController(trace.Options, trace.Steps, trace.Channels, grid);
        var sigmas = trace.Tensors.ReadFloat32("sigmas");
        var selections = 0;

        for (var i = 0; i < trace.Steps; i++)
        {
            var activeCount = controller.IsRasStep(i) ? controller.Selection!.Active.Length : grid.Patches;
            Assert.Equal(trace.Step(i).GetProperty("n_active_patches").GetInt32(), activeCount);
            if (controller.IsRasStep(i))
            {
                Assert.Equal(trace.Ids("active_patches_stepNN", i), controller.Selection!.Active);
                Assert.Equal(trace.Ids("cached_latent_idx_stepNN", i), controller.Cache.Pixels);
            }

            var velocity = trace.Float32("noise_pred_stepNN", i);
            controller.FillSkipped(i, velocity);
            if (trace.Has("noise_pred_filled_stepNN", i))
                Bits.AssertBitwise(trace.Float32("noise_pred_filled_stepNN", i), velocity, $"step {i} filled prediction");

            // The scheduler's increment: a float32 σ difference times the filled prediction.
            var dt = sigmas[i + 1] - sigmas[i];
            var increment = velocity.Select(v => dt * v).ToArray();

            if (!trace.Has("sel_diff_stepNN", i))
            {
                Assert.Null(controller.AfterEuler(i, velocity, increment));
                continue;
            }
            Bits.AssertBitwise(trace.Float32("sel_diff_stepNN", i), increment, $"step {i} increment");
            Bits.AssertBitwise(trace.Float32("sel_drop_cnt_before_stepNN", i), [.. controller.Selector.DropCounts], $"step {i} drop_cnt before");
            if (trace.Has("sel_score_stepNN", i))
                Bits.AssertBitwise(trace.Float32("sel_score_stepNN", i), controller.Selector.Scores(increment, trace.Channels), $"step {i} score");

            var selection = controller.AfterEuler(i, velocity, increment);
            Assert.NotNull(selection);
            Assert.Equal(trace.Ids("sel_active_patches_stepNN", i), selection.Active);
            Assert.Equal(trace.Ids("sel_latent_cached_idx_stepNN", i), selection.CachedPixels);
            Bits.AssertBitwise(trace.Float32("sel_drop_cnt_after_stepNN", i), [.. controller.Selector.DropCounts], $"step {i} drop_cnt after");
            selections++;
        }
        output.WriteLine($"{folder}/{run}: {selections} selections reproduced exactly");
        Assert.Equal(trace.Options.SampleRatio < 1.0, selections > 0);
    }
}
