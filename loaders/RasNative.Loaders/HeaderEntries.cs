using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>Turns the header's JSON object into tensor entries and metadata, checking each entry's form and size.</summary>
internal static class HeaderEntries
{
    const string MetadataKey = "__metadata__";
    static readonly string[] EntryKeys = ["dtype", "shape", "data_offsets"];

    public static (List<TensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(string description, JsonElement root)
    {
        var tensors = new List<TensorInfo>();
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                throw new SafetensorsException($"{description}: duplicate key {MessageText.Quote(property.Name)} in header");
            if (property.Name == MetadataKey) metadata = ParseMetadata(description, property.Value);
            else tensors.Add(ParseTensor(description, property.Name, property.Value));
        }
        return (tensors, metadata);
    }

    static IReadOnlyDictionary<string, string> ParseMetadata(string description, JsonElement value)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        // null is accepted because the reference crate deserialises __metadata__ as an Option.
        if (value.ValueKind == JsonValueKind.Null) return metadata;
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException($"{description}: {MetadataKey} must be an object of strings, got {value.ValueKind}");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsException($"{description}: {MetadataKey} value for {MessageText.Quote(entry.Name)} must be a string, got {entry.Value.ValueKind}");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw new SafetensorsException($"{description}: duplicate key {MessageText.Quote(entry.Name)} in {MetadataKey}");
        }
        return metadata;
    }

    static TensorInfo ParseTensor(string description, string name, JsonElement value)
    {
        var where = $"{description}: tensor {MessageText.Quote(name)}";
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException($"{where}: entry must be an object, got {value.ValueKind}");

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in value.EnumerateObject())
        {
            if (!EntryKeys.Contains(field.Name))
                throw new SafetensorsException($"{where}: unexpected key {MessageText.Quote(field.Name)}");
            if (!fields.TryAdd(field.Name, field.Value))
                throw new SafetensorsException($"{where}: duplicate key {MessageText.Quote(field.Name)}");
        }
        JsonElement Field(string key) =>
            fields.TryGetValue(key, out var field) ? field : throw new SafetensorsException($"{where}: missing key '{key}'");

        var dtype = ParseDType(where, Field("dtype"));
        var shape = ParseNonNegativeIntegers(where, "shape", Field("shape"));
        var offsets = ParseNonNegativeIntegers(where, "data_offsets", Field("data_offsets"));
        if (offsets.Length != 2)
            throw new SafetensorsException($"{where}: data_offsets must be [begin, end], got {offsets.Length} numbers");
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end)
            throw new SafetensorsException($"{where}: data_offsets begin {begin} > end {end}");

        var tensor = new TensorInfo(name, dtype, shape, begin, end);
        var expectedBytes = ByteLengthOf(where, tensor);
        if (expectedBytes != tensor.ByteLength)
            throw new SafetensorsException($"{where}: shape {tensor.ShapeText} x {dtype} needs {expectedBytes} bytes but data_offsets [{begin}, {end}) span {tensor.ByteLength}");
        return tensor;
    }

    static DType ParseDType(string where, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && DTypes.TryParseSafetensorsName(value.GetString()!, out var dtype))
            return dtype;
        throw new SafetensorsException($"{where}: unknown dtype {MessageText.Excerpt(value.GetRawText())}");
    }

    static long[] ParseNonNegativeIntegers(string where, string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new SafetensorsException($"{where}: {key} must be an array of non-negative integers, got {value.ValueKind}");
        var numbers = new long[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number) || number < 0)
                throw new SafetensorsException($"{where}: {key} must be an array of non-negative integers, got {MessageText.Excerpt(item.GetRawText())}");
            numbers[i++] = number;
        }
        return numbers;
    }

    static long ByteLengthOf(string where, TensorInfo tensor)
    {
        try
        {
            long bytes = tensor.DType.ElementSize();
            foreach (var dim in tensor.Shape) bytes = checked(bytes * dim);
            return bytes;
        }
        catch (OverflowException)
        {
            throw new SafetensorsException($"{where}: shape {tensor.ShapeText} overflows the byte count");
        }
    }
}
