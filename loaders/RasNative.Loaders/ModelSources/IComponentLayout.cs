using System.Text.Json;

namespace RasNative.Loaders.ModelSources;

/// <summary>A config given for a component (a --config file, or the --text-encoders / --vae folder's config.json).</summary>
internal sealed record GivenConfig(JsonElement Json, string Source);

/// <summary>Where a dialect keeps each component: a pipeline folder, one component's folder, or a single file.</summary>
internal interface IComponentLayout
{
    CheckpointDialect Dialect { get; }

    bool Has(PipelineComponent kind);

    /// <param name="given">A config for a single file's section, checked against its shapes; folders have their own.</param>
    ModelComponent Get(PipelineComponent kind, GivenConfig? given);

    /// <summary>Where the component was looked for, for the error when it is missing.</summary>
    string WhereLooked(PipelineComponent kind);

    /// <summary>Tensors that belong to no component (single files), for inspect.</summary>
    IReadOnlyList<string> Ignored { get; }
}
