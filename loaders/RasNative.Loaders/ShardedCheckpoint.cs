using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>A diffusers "*.safetensors.index.json" checkpoint split over several shard files. The index's
/// weight_map decides which tensors exist; each must be present in the shard it names.</summary>
public sealed class ShardedCheckpoint : ITensorSource
{
    readonly IReadOnlyList<SafetensorsFile> shards;
    readonly Dictionary<string, SafetensorsFile> shardByTensor;

    ShardedCheckpoint(string indexPath, IReadOnlyList<SafetensorsFile> shards, Dictionary<string, SafetensorsFile> shardByTensor,
        IReadOnlyDictionary<string, string> metadata)
    {
        Description = indexPath;
        this.shards = shards;
        this.shardByTensor = shardByTensor;
        Metadata = metadata;
        Tensors = shardByTensor.Select(pair => pair.Value.Info(pair.Key)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public static ShardedCheckpoint Open(string indexPath)
    {
        var root = JsonFile.ReadObject(indexPath, message => new SafetensorsException(message));
        var weightMap = ReadWeightMap(indexPath, root);
        var metadata = ReadMetadata(indexPath, root);

        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var openShards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            var shardByTensor = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (tensorName, shardName) in weightMap)
            {
                if (!openShards.TryGetValue(shardName, out var shard))
                {
                    var shardPath = Path.Combine(folder, shardName);
                    if (!File.Exists(shardPath))
                        throw new SafetensorsException($"{indexPath}: shard file {MessageText.Quote(shardName)} not found (expected at {shardPath})");
                    shard = SafetensorsFile.Open(shardPath);
                    openShards.Add(shardName, shard);
                }
                if (!shard.Contains(tensorName))
                    throw new SafetensorsException($"{indexPath}: tensor {MessageText.Quote(tensorName)} is mapped to shard {MessageText.Quote(shardName)} but that shard does not contain it");
                shardByTensor.Add(tensorName, shard);
            }
            return new ShardedCheckpoint(indexPath, openShards.Values.ToList(), shardByTensor, metadata);
        }
        catch
        {
            foreach (var shard in openShards.Values) shard.Dispose();
            throw;
        }
    }

    public string Description { get; }
    /// <summary>Mapped tensors sorted by name; their data offsets are relative to the owning shard (<see cref="ShardOf"/>).</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>The index's "metadata" object; non-string values (e.g. total_size) are given as their JSON text.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public bool Contains(string name) => shardByTensor.ContainsKey(name);

    public TensorInfo Info(string name) => ShardOf(name).Info(name);

    /// <summary>The shard file holding <paramref name="name"/> (for zero-copy <see cref="SafetensorsFile.RawBytes"/>).</summary>
    public SafetensorsFile ShardOf(string name) =>
        shardByTensor.TryGetValue(name, out var shard)
            ? shard
            : throw new SafetensorsException($"{Description}: no tensor {MessageText.Quote(name)} in weight_map ({shardByTensor.Count} tensors)");

    public void ReadFloat32(string name, Span<float> destination) => ShardOf(name).ReadFloat32(name, destination);
    public float[] ReadFloat32(string name) => ShardOf(name).ReadFloat32(name);
    public long[] ReadInt64(string name) => ShardOf(name).ReadInt64(name);
    public StoredTensor ReadStored(string name) => ShardOf(name).ReadStored(name);

    public void Dispose()
    {
        foreach (var shard in shards) shard.Dispose();
    }

    static List<(string Tensor, string Shard)> ReadWeightMap(string indexPath, JsonElement root)
    {
        if (!root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException($"{indexPath}: 'weight_map' must be an object of tensor name -> shard file");
        var entries = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsException($"{indexPath}: weight_map value for {MessageText.Quote(entry.Name)} must be a shard file name");
            if (!seen.Add(entry.Name))
                throw new SafetensorsException($"{indexPath}: duplicate key {MessageText.Quote(entry.Name)} in weight_map");
            entries.Add((entry.Name, entry.Value.GetString()!));
        }
        return entries;
    }

    static IReadOnlyDictionary<string, string> ReadMetadata(string indexPath, JsonElement root)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("metadata", out var value) || value.ValueKind == JsonValueKind.Null) return metadata;
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException($"{indexPath}: 'metadata' must be an object");
        foreach (var entry in value.EnumerateObject())
            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
        return metadata;
    }
}
