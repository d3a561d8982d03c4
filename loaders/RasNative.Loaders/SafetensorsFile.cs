namespace RasNative.Loaders;

/// <summary>A memory-mapped .safetensors file whose header was validated on open. Tensor bytes are only
/// touched (paged in) when that tensor is read. Reads are thread-safe; Dispose must not race them.</summary>
public sealed class SafetensorsFile : ITensorSource
{
    readonly MappedFile file;
    readonly SafetensorsHeader header;

    SafetensorsFile(string path, MappedFile file, SafetensorsHeader header)
    {
        Description = path;
        this.file = file;
        this.header = header;
    }

    public static SafetensorsFile Open(string path)
    {
        var file = MappedFile.Open(path, SafetensorsHeader.LengthPrefixSize);
        try
        {
            return new SafetensorsFile(path, file, SafetensorsHeader.Read(path, file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public string Description { get; }
    public IReadOnlyList<TensorInfo> Tensors => header.TensorsByName;
    public IReadOnlyDictionary<string, string> Metadata => header.Metadata;

    public bool Contains(string name) => header.Lookup.ContainsKey(name);

    public TensorInfo Info(string name) =>
        header.Lookup.TryGetValue(name, out var tensor)
            ? tensor
            : throw new SafetensorsException($"{Description}: no tensor {MessageText.Quote(name)} ({header.TensorsByName.Count} tensors in file)");

    /// <summary>The tensor's bytes inside the mapping, zero-copy. The span points into the mapped file and is
    /// valid only until <see cref="Dispose"/>; do not keep it (or pointers pinned from it) beyond that.</summary>
    public ReadOnlySpan<byte> RawBytes(TensorInfo tensor)
    {
        if (!header.Lookup.TryGetValue(tensor.Name, out var own) || own != tensor)
            throw new ArgumentException($"{Description}: tensor {MessageText.Quote(tensor.Name)} does not belong to this file", nameof(tensor));
        if (tensor.ByteLength > int.MaxValue)
            throw new SafetensorsException($"{Description}: tensor {MessageText.Quote(tensor.Name)} is {tensor.ByteLength} bytes, more than one span can address");
        return file.Slice(header.DataSectionOffset + tensor.DataStart, (int)tensor.ByteLength);
    }

    public void ReadFloat32(string name, Span<float> destination)
    {
        var tensor = Info(name);
        if (destination.Length != tensor.ElementCount)
            throw new ArgumentException($"{Description}: tensor {MessageText.Quote(name)} has {tensor.ElementCount} elements, destination {destination.Length}", nameof(destination));
        TensorDecoder.ToFloat32(tensor.DType, RawBytes(tensor), destination);
    }

    public float[] ReadFloat32(string name)
    {
        var values = new float[Info(name).ElementCount];
        ReadFloat32(name, values);
        return values;
    }

    /// <summary>Zero-copy: the bytes point into the mapping (see <see cref="RawBytes"/>). A raw file knows no scales;
    /// <see cref="CheckpointOpener"/> folds a file's fp8 scale tensors into their weights.</summary>
    public StoredTensor ReadStored(string name)
    {
        var tensor = Info(name);
        return new StoredTensor(tensor.DType, RawBytes(tensor), tensor.Shape);
    }

    public long[] ReadInt64(string name)
    {
        var tensor = Info(name);
        return TensorDecoder.ToInt64(tensor.DType, RawBytes(tensor), tensor.ElementCount, $"{Description}: tensor {MessageText.Quote(name)}");
    }

    public void Dispose() => file.Dispose();
}
