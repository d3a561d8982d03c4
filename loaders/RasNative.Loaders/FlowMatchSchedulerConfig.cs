using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>FlowMatchEulerDiscreteScheduler scheduler_config.json (only the keys RasNative uses; defaults as diffusers).</summary>
public sealed record FlowMatchSchedulerConfig(int NumTrainTimesteps = 1000, double Shift = 1.0)
{
    /// <param name="source">Named in error messages (normally the scheduler_config.json path).</param>
    public static FlowMatchSchedulerConfig FromJson(JsonElement json, string source = "scheduler_config.json")
    {
        var config = new ConfigReader(json, source);
        var defaults = new FlowMatchSchedulerConfig();
        return new FlowMatchSchedulerConfig(
            config.Int("num_train_timesteps", defaults.NumTrainTimesteps),
            config.Double("shift", defaults.Shift));
    }

    public static FlowMatchSchedulerConfig Load(string path) =>
        FromJson(JsonFile.ReadObject(path, message => new ModelFolderException(message)), path);
}
