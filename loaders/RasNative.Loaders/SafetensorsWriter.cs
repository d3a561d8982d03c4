using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>Writes .safetensors files: tensors sorted by name, data contiguous, header space-padded to a multiple
/// of 8 (as the reference writer does). Atomic: a temp file in the same folder is renamed over the target, so a
/// failure never leaves a partial file.</summary>
public static class SafetensorsWriter
{
    const int HeaderAlignment = 8;

    public static void Write(string path, IEnumerable<TensorToWrite> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        Validate(path, sorted);
        var header = BuildHeader(sorted, metadata);

        var fullPath = Path.GetFullPath(path);
        var tempPath = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Span<byte> lengthPrefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(lengthPrefix, (ulong)header.Length);
                stream.Write(lengthPrefix);
                stream.Write(header);
                foreach (var tensor in sorted) stream.Write(tensor.Data.Span);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            if (File.Exists(tempPath)) File.Delete(tempPath);
            throw;
        }
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
            long offset = 0;
            foreach (var tensor in sorted)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToSafetensorsName());
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Data.Length;
                json.WriteNumberValue(offset);
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
