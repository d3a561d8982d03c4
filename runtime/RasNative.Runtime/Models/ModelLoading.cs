using System.Text.Json;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;

namespace RasNative.Runtime.Models;

/// <summary>
/// How every model loads, in one place: a <see cref="ModelComponent"/>'s config parsed from its config.json form with
/// its weights open only while they are bound, and the parameters bound through one <see cref="WeightBinder"/> (each
/// model's Bind ends with Finish: every tensor of the source used or a known extra) with the backend memory they hold.
/// </summary>
internal static class ModelLoading
{
    /// <summary>Parses <paramref name="component"/>'s config, then loads the model from its weights under their checkpoint names.</summary>
    public static TModel FromComponent<TConfig, TModel>(ModelComponent component, Func<JsonElement, string, TConfig> parseConfig,
        Func<IWeightSource, TConfig, TModel> load)
    {
        var config = parseConfig(component.Config, component.ConfigSource);
        using var weights = component.OpenWeights();
        return load(new CheckpointWeights(weights), config);
    }

    /// <summary>The parameters <paramref name="bind"/> binds from <paramref name="weights"/> onto <paramref name="backend"/>, and the bytes they hold there.</summary>
    public static (TWeights Weights, long Bytes) Bind<TWeights>(IWeightSource weights, IBackend backend, Func<WeightBinder, TWeights> bind)
    {
        var binder = new WeightBinder(weights, backend);
        return (bind(binder), binder.BytesHeld);
    }
}
