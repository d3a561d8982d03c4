using RasNative.Loaders.ModelSources;

namespace RasNative.Loaders.SingleFile;

/// <summary>The tensors of one component in a single file: all keys under <see cref="Prefix"/> (or, for a bare file, the component's keys).</summary>
internal sealed record FileSection(PipelineComponent Component, string Prefix, IReadOnlyList<TensorInfo> Tensors)
{
    public string Key(TensorInfo tensor) => tensor.Name[Prefix.Length..];

    /// <summary>"model.diffusion_model.*", or "bare keys" for a file without prefixes.</summary>
    public string Describe() => Prefix.Length > 0 ? Prefix + "*" : "keys without prefix";
}
