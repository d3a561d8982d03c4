using System.CommandLine;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders;

namespace RasNative.Cli.Commands;

/// <summary>inspect: every tensor of a checkpoint file or model folder, totals, and the config summary.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "a .safetensors file, an .index.json, or a model/pipeline folder" };
        var command = new Command("inspect", "List the tensors (name, dtype, shape, bytes) and config of a checkpoint.");
        command.Arguments.Add(path);
        command.SetAction(CliRunner.Guard(parsed =>
        {
            string target = parsed.GetValue(path)!;
            ModelFolder? folder = Directory.Exists(target) && HasConfig(target) ? ModelFolder.Resolve(target) : null;
            if (!Directory.Exists(target) && !File.Exists(target)) throw new FileNotFoundException($"{target}: no such file or folder");
            using var source = folder?.OpenWeights() ?? CheckpointOpener.Open(target);
            PrintTensors(source);
            if (folder != null) PrintConfig(folder);
            return 0;
        }));
        return command;
    }

    static bool HasConfig(string dir) =>
        File.Exists(Path.Combine(dir, "config.json")) || File.Exists(Path.Combine(dir, "model_index.json"));

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
    }

    static void PrintConfig(ModelFolder folder)
    {
        Console.WriteLine();
        Console.WriteLine($"config: {folder.ConfigPath}");
        Console.WriteLine($"  class: {folder.ClassName}");
        foreach (var property in folder.ConfigJson.EnumerateObject().Where(p => !p.Name.StartsWith('_')))
            Console.WriteLine($"  {property.Name}: {System.Text.Json.JsonSerializer.Serialize(property.Value)}");
        if (folder.SchedulerConfigPath != null)
            Console.WriteLine($"scheduler: {folder.SchedulerConfigPath} (shift {FlowMatchSchedulerConfig.Load(folder.SchedulerConfigPath).Shift})");
        if (folder.ClassName == ModelLoader.Sd3ClassName)
        {
            var cfg = Sd3TransformerConfig.FromJson(folder.ConfigJson, folder.ConfigPath);
            Console.WriteLine($"  summary: SD3 MMDiT, {cfg.NumLayers} joint blocks, {cfg.NumAttentionHeads} heads x {cfg.AttentionHeadDim} (D = {cfg.InnerDim}), " +
                $"qk_norm {cfg.QkNorm ?? "none"}, dual attention in {cfg.DualAttentionLayers.Length} blocks");
        }
    }
}
