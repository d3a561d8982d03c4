using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using RasNative.Loaders.Files;

namespace RasNative.Loaders;

/// <summary>Writes .safetensors files: tensors sorted by name, data contiguous, header space-padded to a multiple
/// of 8 (as the reference writer does). Atomic (<see cref="AtomicFile"/>): a failure never leaves a partial file.</summary>
public static class SafetensorsWriter
{
    const int HeaderAlignment = 8;

    public static void Write(string path, IEnumerable<TensorToWrite> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        Validate(path, sorted);
        var header = BuildHeader(sorted, metadata);
        AtomicFile.Write(path, stream => WriteSorted(stream, sorted, header));
    }

    /// <summary>The whole file to <paramref name="stream"/> (for callers that manage the temp file and rename themselves).</summary>
    public static void Write(Stream stream, IEnumerable<TensorToWrite> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        Validate("output", sorted);
        WriteSorted(stream, sorted, BuildHeader(sorted, metadata));
    }

    static void WriteSorted(Stream stream, List<TensorToWrite> sorted, byte[] header)
    {
        WriteHeader(stream, header);
        foreach (var tensor in sorted) stream.Write(tensor.Data.Span);
    }

    /// <summary>The 8-byte little-endian length, then the JSON header.</summary>
    internal static void WriteHeader(Stream stream, byte[] header)
    {
        Span<byte> lengthPrefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthPrefix, (ulong)header.Length);
        stream.Write(lengthPrefix);
        stream.Write(header);
    }

    static void Validate(string path, List<TensorToWrite> sorted)
    {
        for (var i = 0; i < sorted.Count; i++)
        {
            var tensor = sorted[i];
            var where = $"{path}: tensor {MessageText.Quote(tensor.Name)}";
            if (tensor.Name == "__metadata__") throw new ArgumentException($"{where}: name is reserved for metadata");
            if (i > 0 && sorted[i - 1].Name == tensor.Name) throw new ArgumentException($"{where}: name given twice");
            if (tensor.Shape.Any(dim => dim < 0)) throw new ArgumentException($"{where}: negative dimension in shape");
            long expected = tensor.DType.ElementSize();
            foreach (var dim in tensor.Shape) expected = checked(expected * dim);
            if (expected != tensor.Data.Length)
                throw new ArgumentException($"{where}: shape [{string.Join(", ", tensor.Shape)}] x {tensor.DType} needs {expected} bytes, data has {tensor.Data.Length}");
        }
    }

    static byte[] BuildHeader(List<TensorToWrite> sorted, IReadOnlyDictionary<string, string>? metadata)
    {
        long offset = 0;
        var entries = new List<HeaderEntry>(sorted.Count);
        foreach (var tensor in sorted)
        {
            entries.Add(new HeaderEntry(tensor.Name, tensor.DType, tensor.Shape, offset, offset + tensor.Data.Length));
            offset += tensor.Data.Length;
        }
        return BuildHeader(entries, metadata);
    }

    /// <summary>One tensor's header entry: its data lies at [Begin, End) of the data section.</summary>
    internal readonly record struct HeaderEntry(string Name, DType DType, long[] Shape, long Begin, long End);

    /// <summary>The JSON header (entries by name, offsets as given), space-padded to a multiple of 8.</summary>
    internal static byte[] BuildHeader(IEnumerable<HeaderEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps names like "a+b" readable; the output is still valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType.ToSafetensorsName());
                json.WriteStartArray("shape");
                foreach (var dim in entry.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var padding = (HeaderAlignment - (int)(buffer.Length % HeaderAlignment)) % HeaderAlignment;
        for (var i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
