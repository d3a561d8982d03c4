using RasNative.Loaders.ModelSources;

namespace RasNative.Loaders.SingleFile;

/// <summary>
/// Splits a single file's tensors into component sections: by prefix (Stability / ComfyUI layout), or, in a file of
/// one model, by its names alone — a transformer by joint_blocks.* / transformer_blocks.*, a VAE by its encoder /
/// decoder block names. Anything else belongs to no component (other prefixes, text_encoders.*.logit_scale).
/// </summary>
internal static class FileSections
{
    public static readonly (string Prefix, PipelineComponent Component)[] Prefixes =
    [
        ("model.diffusion_model.", PipelineComponent.Transformer),
        ("first_stage_model.", PipelineComponent.Vae),
        ("text_encoders.clip_l.transformer.", PipelineComponent.TextEncoder),
        ("text_encoders.clip_g.transformer.", PipelineComponent.TextEncoder2),
        ("text_encoders.t5xxl.transformer.", PipelineComponent.TextEncoder3),
    ];

    /// <summary>The file's sections by component (two for one component: a half-converted file), and the tensors of none.</summary>
    public static (Dictionary<PipelineComponent, List<FileSection>> Sections, List<string> Ignored) Find(IReadOnlyList<TensorInfo> tensors)
    {
        var ignored = new List<string>();
        var prefixed = new Dictionary<string, List<TensorInfo>>(StringComparer.Ordinal);
        List<TensorInfo> bareMmdit = [], bareVae = [];
        foreach (var tensor in tensors)
        {
            var prefix = Prefixes.FirstOrDefault(p => tensor.Name.StartsWith(p.Prefix, StringComparison.Ordinal)).Prefix;
            if (prefix != null) Add(prefixed, prefix, tensor);
            else if (tensor.Name.StartsWith("text_encoders.", StringComparison.Ordinal)) ignored.Add(tensor.Name);
            else if (KeyKinds.Mmdit(tensor.Name) != KeyKind.Foreign) bareMmdit.Add(tensor);
            else if (KeyKinds.Vae(tensor.Name) != KeyKind.Foreign) bareVae.Add(tensor);
            else ignored.Add(tensor.Name);
        }
        var result = new Dictionary<PipelineComponent, List<FileSection>>();
        foreach (var (prefix, component) in Prefixes)
            if (prefixed.TryGetValue(prefix, out var list)) Add(result, component, new FileSection(component, prefix, list));
        // Keys without prefix form a component only with its signature (blocks), so stray names do not.
        if (bareMmdit.Any(t => t.Name.StartsWith("joint_blocks.", StringComparison.Ordinal) || t.Name.StartsWith("transformer_blocks.", StringComparison.Ordinal)))
            Add(result, PipelineComponent.Transformer, new FileSection(PipelineComponent.Transformer, "", bareMmdit));
        else ignored.AddRange(bareMmdit.Select(t => t.Name));
        if (bareVae.Any(t => KeyKinds.Vae(t.Name) is KeyKind.Original or KeyKind.Diffusers))
            Add(result, PipelineComponent.Vae, new FileSection(PipelineComponent.Vae, "", bareVae));
        else ignored.AddRange(bareVae.Select(t => t.Name));
        return (result, ignored);
    }

    static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }
}
