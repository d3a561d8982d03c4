namespace RasNative.Loaders;

/// <summary>Named tensors read lazily from a checkpoint (one file or a sharded set).</summary>
public interface ITensorSource : IDisposable
{
    /// <summary>File or folder path, for messages.</summary>
    string Description { get; }

    /// <summary>All tensors, sorted by name (ordinal).</summary>
    IReadOnlyList<TensorInfo> Tensors { get; }

    IReadOnlyDictionary<string, string> Metadata { get; }

    bool Contains(string name);

    /// <summary>Throws <see cref="SafetensorsException"/> naming the tensor and the source when absent.</summary>
    TensorInfo Info(string name);

    /// <summary>Converts any dtype to float32; <paramref name="destination"/> length must equal the element count.</summary>
    void ReadFloat32(string name, Span<float> destination);

    float[] ReadFloat32(string name);

    /// <summary>The tensor as stored (format, bytes, shape, per-tensor fp8 scale) for consumers that keep the stored
    /// width; the bytes are valid until this source is disposed.</summary>
    StoredTensor ReadStored(string name);

    /// <summary>Integer and bool dtypes exactly; float dtypes only when every value is integral.</summary>
    long[] ReadInt64(string name);
}
