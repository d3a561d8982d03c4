using System.Runtime.InteropServices;
using RasNative.Loaders.Files;

namespace RasNative.Loaders;

/// <summary>
/// A safetensors file built tensor by tensor without holding the data in memory (per-step traces of a long run):
/// each tensor's bytes go to a scratch file as they arrive; <see cref="WriteTo"/> then writes the header and
/// copies the data section. Data lies in arrival order; the header lists tensors by name with their offsets,
/// which is what the format requires (readers go by data_offsets).
/// </summary>
public sealed class SafetensorsStreamWriter : IDisposable
{
    readonly string scratchPath;
    readonly FileStream data;
    readonly List<SafetensorsWriter.HeaderEntry> entries = [];
    readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <param name="beside">The file this data will end up in; the scratch file lives in its folder.</param>
    public SafetensorsStreamWriter(string beside)
    {
        scratchPath = TemporaryFiles.Beside(beside, "data");
        data = new FileStream(scratchPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
    }

    public void Add(string name, float[] values, params long[] shape) => Add(name, DType.F32, shape, MemoryMarshal.AsBytes(values.AsSpan()));

    public void Add(string name, long[] values, params long[] shape) => Add(name, DType.I64, shape, MemoryMarshal.AsBytes(values.AsSpan()));

    public void Add(string name, DType dtype, long[] shape, ReadOnlySpan<byte> bytes)
    {
        if (name == "__metadata__" || !names.Add(name)) throw new ArgumentException($"tensor '{name}': name reserved or given twice");
        long expected = dtype.ElementSize();
        foreach (var dim in shape) expected = checked(expected * dim);
        if (expected != bytes.Length)
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] x {dtype} needs {expected} bytes, data has {bytes.Length}");
        long begin = data.Position;
        data.Write(bytes);
        entries.Add(new SafetensorsWriter.HeaderEntry(name, dtype, shape, begin, data.Position));
    }

    /// <summary>Writes the complete file (header, then the data section) to <paramref name="destination"/>.</summary>
    public void WriteTo(Stream destination, IReadOnlyDictionary<string, string>? metadata = null)
    {
        SafetensorsWriter.WriteHeader(destination, SafetensorsWriter.BuildHeader(entries, metadata));
        data.Flush();
        data.Position = 0;
        data.CopyTo(destination);
    }

    public void Dispose()
    {
        data.Dispose();
        TemporaryFiles.Release(scratchPath);
    }
}
