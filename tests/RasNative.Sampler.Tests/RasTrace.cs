using System.Text.Json;
using RasNative.Loaders;
using RasNative.Sampler.Ras;
using RasNative.Tests;

namespace RasNative.Sampler.Tests;

/// <summary>One reference run of the official RAS code: its trace JSON (settings, per-step flags) and tensors.</summary>
sealed class RasTrace : IDisposable
{
    RasTrace(string folder, string run)
    {
        Json = JsonDocument.Parse(File.ReadAllText(FixturePaths.Get(folder, $"trace_{run}.json"))).RootElement;
        Tensors = SafetensorsFile.Open(FixturePaths.Get(folder, $"trace_{run}.safetensors"));
        var manager = Json.GetProperty("effective_manager");
        SkipList = [.. manager.GetProperty("skip_token_num_list").EnumerateArray().Select(e => e.GetInt32())];
        Options = new RasOptions(
            manager.GetProperty("sample_ratio").GetDouble(),
            manager.GetProperty("scheduler_start_step").GetInt32(),
            manager.GetProperty("scheduler_end_step").GetInt32(),
            [.. manager.GetProperty("error_reset_steps").EnumerateArray().Select(e => e.GetInt32())],
            manager.GetProperty("metric").GetString() == "std" ? RasMetric.Std : RasMetric.L2Norm,
            manager.GetProperty("high_ratio").GetDouble(),
            manager.GetProperty("starvation_scale").GetDouble(),
            manager.GetProperty("skip_num_step").GetInt32(),
            manager.GetProperty("skip_num_step_length").GetInt32());
        var shape = Tensors.Info("latents_step00_in").Shape;
        (Channels, Height, Width) = ((int)shape[1], (int)shape[2], (int)shape[3]);
    }

    public static RasTrace Load(string folder, string run) => new(folder, run);

    public JsonElement Json { get; }
    public SafetensorsFile Tensors { get; }
    public RasOptions Options { get; }
    public int[] SkipList { get; }
    public int Steps => SkipList.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    public JsonElement Step(int step) => Json.GetProperty("steps")[step];

    public float[] Float32(string name, int step) => Tensors.ReadFloat32(Name(name, step));

    public int[] Ids(string name, int step) => [.. Tensors.ReadInt64(Name(name, step)).Select(v => checked((int)v))];

    public bool Has(string name, int step) => Tensors.Contains(Name(name, step));

    // Tensor names carry the step as two digits at the end (`sel_diff_step04`) or before a suffix (`latents_step04_out`).
    static string Name(string name, int step) => name.Replace("NN", step.ToString("00"));

    public void Dispose() => Tensors.Dispose();
}
