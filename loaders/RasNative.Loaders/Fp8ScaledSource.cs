namespace RasNative.Loaders;

/// <summary>
/// A checkpoint's tensors with its fp8 scale companions folded into their weights (the conventions are
/// <see cref="Fp8ScaleCompanions"/>'): the companions are no longer listed, and reading a scaled weight gives
/// decode(code) · scale (<see cref="ReadFloat32(string)"/>) or the codes with their scale (<see cref="ReadStored"/>).
/// Disposing it disposes the wrapped source.
/// </summary>
public sealed class Fp8ScaledSource : ITensorSource
{
    readonly ITensorSource inner;
    readonly Dictionary<string, float> scales;
    readonly HashSet<string> folded;

    Fp8ScaledSource(ITensorSource inner, Dictionary<string, float> scales, HashSet<string> folded)
    {
        this.inner = inner;
        this.scales = scales;
        this.folded = folded;
        Tensors = [.. inner.Tensors.Where(t => !folded.Contains(t.Name))];
    }

    /// <summary>
    /// <paramref name="source"/> itself when it holds no scale companions, else the folded view; an unsupported
    /// quantization tensor throws <see cref="SafetensorsException"/> naming it. On error the source is not disposed.
    /// </summary>
    public static ITensorSource Fold(ITensorSource source)
    {
        var (scales, folded) = Fp8ScaleCompanions.Find(source);
        return folded.Count == 0 ? source : new Fp8ScaledSource(source, scales, folded);
    }

    public string Description => inner.Description;

    public IReadOnlyList<TensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata => inner.Metadata;

    public bool Contains(string name) => !folded.Contains(name) && inner.Contains(name);

    public TensorInfo Info(string name) => folded.Contains(name)
        ? throw new SafetensorsException($"{Description}: tensor {MessageText.Quote(name)} is an fp8 scale companion, folded into its weight")
        : inner.Info(name);

    public void ReadFloat32(string name, Span<float> destination)
    {
        if (scales.ContainsKey(name)) ReadStored(name).Widen(destination);
        else inner.ReadFloat32(Info(name).Name, destination);
    }

    public float[] ReadFloat32(string name)
    {
        var values = new float[Info(name).ElementCount];
        ReadFloat32(name, values);
        return values;
    }

    public StoredTensor ReadStored(string name)
    {
        var stored = inner.ReadStored(Info(name).Name);
        return scales.TryGetValue(name, out var scale) ? new StoredTensor(stored.Format, stored.Bytes, stored.Shape, scale) : stored;
    }

    public long[] ReadInt64(string name) => inner.ReadInt64(Info(name).Name);

    public void Dispose() => inner.Dispose();
}
