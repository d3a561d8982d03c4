using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace RasNative.Loaders;

/// <summary>The validated header of a safetensors file: tensors, metadata and where the data section starts.</summary>
internal sealed class SafetensorsHeader
{
    public const int LengthPrefixSize = 8;

    /// <summary>Same cap as the reference Rust crate (MAX_HEADER_SIZE), so hostile lengths cannot force huge allocations.</summary>
    public const long MaxHeaderLength = 100_000_000;

    SafetensorsHeader(IReadOnlyList<TensorInfo> tensorsByName, IReadOnlyDictionary<string, string> metadata, long dataSectionOffset)
    {
        TensorsByName = tensorsByName;
        Metadata = metadata;
        DataSectionOffset = dataSectionOffset;
        Lookup = tensorsByName.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<TensorInfo> TensorsByName { get; }
    public IReadOnlyDictionary<string, TensorInfo> Lookup { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Absolute file offset of the first data byte (8 + header length).</summary>
    public long DataSectionOffset { get; }

    /// <summary>Reads and validates the header as strictly as the reference crate (plus: no unknown or duplicate keys).</summary>
    public static SafetensorsHeader Read(string description, MappedFile file)
    {
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file.Slice(0, LengthPrefixSize));
        if (headerLength > MaxHeaderLength)
            throw new SafetensorsException($"{description}: header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
        var dataSectionOffset = LengthPrefixSize + (long)headerLength;
        if (dataSectionOffset > file.Length)
            throw new SafetensorsException($"{description}: header length {headerLength} runs past the end of the file ({file.Length} bytes)");

        var headerBytes = file.Slice(LengthPrefixSize, (int)headerLength).ToArray();
        var root = ParseJsonObject(description, headerBytes);
        var (tensors, metadata) = HeaderEntries.Parse(description, root);
        TensorLayout.Validate(description, tensors, file.Length - dataSectionOffset);

        tensors.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new SafetensorsHeader(tensors, metadata, dataSectionOffset);
    }

    static JsonElement ParseJsonObject(string description, byte[] headerBytes)
    {
        if (!Utf8.IsValid(headerBytes))
            throw new SafetensorsException($"{description}: header is not valid UTF-8");
        // The reference crate (>= 0.4) rejects anything not starting with '{' (InvalidHeaderStart), BOMs and leading spaces included.
        if (headerBytes.Length == 0 || headerBytes[0] != (byte)'{')
            throw new SafetensorsException($"{description}: header does not start with '{{' (not a JSON object)");
        try
        {
            // Valid JSON starting with '{' is necessarily an object.
            return StrictJson.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new SafetensorsException($"{description}: header is not valid JSON ({MessageText.OneLine(e.Message)})");
        }
    }
}
