namespace RasNative.Loaders.SingleFile;

/// <summary>
/// A single file's component under the names its model binds (<see cref="MappedTensor"/>), reading the
/// file's bytes in place. <see cref="TensorInfo.DataStart"/>/<see cref="TensorInfo.DataEnd"/> of a mapped
/// tensor locate its bytes in the file's data section when it is one range; for swapped halves they span the
/// source tensor, whose bytes it reorders — read it through this source. Owns the file.
/// </summary>
internal sealed class MappedTensorSource : ITensorSource
{
    readonly SafetensorsFile file;
    readonly Dictionary<string, (MappedTensor Tensor, TensorInfo Info)> byName;

    public MappedTensorSource(SafetensorsFile file, string description, IEnumerable<MappedTensor> tensors)
    {
        this.file = file;
        Description = description;
        byName = tensors.ToDictionary(t => t.Name, t => (t, InfoOf(t)), StringComparer.Ordinal);
        Tensors = [.. byName.Values.Select(v => v.Info).OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    public string Description { get; }
    public IReadOnlyList<TensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata => file.Metadata;

    public bool Contains(string name) => byName.ContainsKey(name);

    public TensorInfo Info(string name) => Lookup(name).Info;

    public void ReadFloat32(string name, Span<float> destination)
    {
        var (tensor, info) = Lookup(name);
        if (destination.Length != info.ElementCount)
            throw new ArgumentException($"{Description}: tensor {MessageText.Quote(name)} has {info.ElementCount} elements, destination {destination.Length}", nameof(destination));
        var raw = file.RawBytes(tensor.Source);
        int elementSize = info.DType.ElementSize();
        int written = 0;
        foreach (var range in tensor.Ranges)
        {
            int count = (int)(range.Length / elementSize);
            TensorDecoder.ToFloat32(info.DType, raw.Slice((int)range.Start, (int)range.Length), destination.Slice(written, count));
            written += count;
        }
    }

    public float[] ReadFloat32(string name)
    {
        var values = new float[Info(name).ElementCount];
        ReadFloat32(name, values);
        return values;
    }

    /// <summary>One range is a view into the mapping; reordered ranges (swapped halves) are gathered into a copy.</summary>
    public StoredTensor ReadStored(string name)
    {
        var (tensor, info) = Lookup(name);
        var raw = file.RawBytes(tensor.Source);
        if (tensor.Ranges.Length == 1)
            return new StoredTensor(info.DType, raw.Slice((int)tensor.Ranges[0].Start, (int)tensor.Ranges[0].Length), info.Shape);
        return new StoredTensor(info.DType, Gather(tensor, raw, info.ByteLength), info.Shape);
    }

    public long[] ReadInt64(string name)
    {
        var (tensor, info) = Lookup(name);
        var bytes = Gather(tensor, file.RawBytes(tensor.Source), info.ByteLength);
        return TensorDecoder.ToInt64(info.DType, bytes, info.ElementCount, $"{Description}: tensor {MessageText.Quote(name)}");
    }

    /// <summary>The tensor's ranges of its source's bytes, concatenated in order.</summary>
    static byte[] Gather(MappedTensor tensor, ReadOnlySpan<byte> raw, long length)
    {
        var bytes = new byte[length];
        long written = 0;
        foreach (var range in tensor.Ranges)
        {
            raw.Slice((int)range.Start, (int)range.Length).CopyTo(bytes.AsSpan((int)written));
            written += range.Length;
        }
        return bytes;
    }

    public void Dispose() => file.Dispose();

    (MappedTensor Tensor, TensorInfo Info) Lookup(string name) =>
        byName.TryGetValue(name, out var entry)
            ? entry
            : throw new SafetensorsException($"{Description}: no tensor {MessageText.Quote(name)} ({byName.Count} tensors)");

    static TensorInfo InfoOf(MappedTensor tensor)
    {
        var source = tensor.Source;
        long start = source.DataStart + tensor.Ranges.Min(r => r.Start);
        long end = source.DataStart + tensor.Ranges.Max(r => r.Start + r.Length);
        return new TensorInfo(tensor.Name, source.DType, tensor.Shape, start, end);
    }
}
