using System.CommandLine;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;

namespace RasNative.Cli.Commands;

/// <summary>inspect: the dialect, the tensors, and each component found with its config (inferred from the shapes for single files).</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "a .safetensors file (any layout), an .index.json, or a model / pipeline folder" };
        var model = new ModelOptions();
        var command = new Command("inspect", "Name a checkpoint's dialect and components; list its tensors (name, dtype, shape, bytes) and each component's config.");
        command.Arguments.Add(path);
        model.AddTo(command, componentOverrides: true, modelOption: false);
        command.SetAction(CliRunner.Guard(parsed =>
        {
            string target = parsed.GetValue(path)!;
            if (target.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
            {
                using var sharded = CheckpointOpener.Open(target);
                PrintTensors(sharded);
                return 0;
            }
            var source = model.Open(parsed, target);
            if (source.Dialect.IsSingleFile())
            {
                using var file = SafetensorsFile.Open(target);
                PrintTensors(file);
            }
            else
            {
                foreach (var kind in Enum.GetValues<PipelineComponent>().Where(k => k.HasWeights() && source.Has(k)))
                {
                    using var weights = source.Get(kind).OpenWeights();
                    PrintTensors(weights);
                }
            }
            PrintComponents(source);
            return 0;
        }));
        return command;
    }

    static void PrintTensors(ITensorSource source)
    {
        int nameWidth = Math.Max(4, source.Tensors.Count == 0 ? 0 : source.Tensors.Max(t => t.Name.Length));
        Console.WriteLine($"{"name".PadRight(nameWidth)}  {"dtype",-5}  {"shape",-24}  {"bytes",14}");
        long elements = 0, bytes = 0;
        var perDType = new SortedDictionary<string, (int Count, long Bytes)>();
        foreach (var t in source.Tensors)
        {
            Console.WriteLine($"{t.Name.PadRight(nameWidth)}  {t.DType,-5}  {t.ShapeText,-24}  {t.ByteLength,14:N0}");
            elements += t.ElementCount;
            bytes += t.ByteLength;
            var key = t.DType.ToString();
            perDType[key] = perDType.TryGetValue(key, out var v) ? (v.Count + 1, v.Bytes + t.ByteLength) : (1, t.ByteLength);
        }
        Console.WriteLine();
        Console.WriteLine($"source: {source.Description}");
        Console.WriteLine($"total: {source.Tensors.Count} tensors, {elements:N0} elements, {bytes:N0} bytes ({bytes / 1048576.0:F1} MiB)");
        foreach (var (dtype, (count, size)) in perDType) Console.WriteLine($"  {dtype}: {count} tensors, {size:N0} bytes");
        Console.WriteLine();
    }

    /// <summary>Every component: where it is, how its names map, its config; a component that cannot be used says why.</summary>
    static void PrintComponents(ModelSource source)
    {
        Console.WriteLine($"dialect: {source.Dialect.Describe()}");
        var absent = new List<string>();
        foreach (var kind in Enum.GetValues<PipelineComponent>())
        {
            if (!source.Has(kind))
            {
                absent.Add(kind.SubfolderName());
                continue;
            }
            ModelComponent component;
            try
            {
                component = source.Get(kind);
            }
            catch (ModelFolderException e)
            {
                Console.WriteLine($"{kind.SubfolderName()}: cannot be used: {e.Message}");
                continue;
            }
            PrintComponent(component);
        }
        if (absent.Count > 0) Console.WriteLine($"absent: {string.Join(", ", absent)}");
        if (source.IgnoredTensors.Count > 0)
            Console.WriteLine($"ignored: {source.IgnoredTensors.Count} tensors outside every component (first '{source.IgnoredTensors[0]}')");
    }

    static void PrintComponent(ModelComponent component)
    {
        Console.WriteLine($"{component.Kind.SubfolderName()}: {component.Location}");
        if (component.HasWeights)
        {
            using var weights = component.OpenWeights();
            Console.WriteLine($"  names: {component.Naming} ({weights.Tensors.Count} tensors)");
        }
        if (component.TextProjectionIsIdentity) Console.WriteLine("  text projection: identity (the file stores none)");
        foreach (var note in component.Notes) Console.WriteLine($"  note: {note}");
        Console.WriteLine($"  config: {component.ConfigSource}");
        if (component.Kind.IsTokenizer()) return;
        if (component.ClassName is { } className) Console.WriteLine($"    class: {className}");
        foreach (var property in component.Config.EnumerateObject().Where(p => !p.Name.StartsWith('_') && p.Name != "architectures"))
            Console.WriteLine($"    {property.Name}: {property.Value.GetRawText()}");
        if (component.Kind == PipelineComponent.Scheduler)
            Console.WriteLine($"  summary: shift {FlowMatchSchedulerConfig.FromJson(component.Config, component.ConfigSource).Shift}");
        if (ModelLoader.IsSd3(component) && component.Kind == PipelineComponent.Transformer)
        {
            var cfg = Sd3TransformerConfig.FromJson(component.Config, component.ConfigSource);
            Console.WriteLine($"  summary: SD3 MMDiT, {cfg.NumLayers} joint blocks, {cfg.NumAttentionHeads} heads x {cfg.AttentionHeadDim} (D = {cfg.InnerDim}), " +
                $"qk_norm {cfg.QkNorm ?? "none"}, dual attention in {cfg.DualAttentionLayers.Length} blocks");
        }
    }
}
