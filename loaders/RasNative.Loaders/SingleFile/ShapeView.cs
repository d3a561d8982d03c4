namespace RasNative.Loaders.SingleFile;

/// <summary>
/// A mapped component's tensor shapes by the names its model binds, for config inference; errors and evidence
/// name the keys as the file spells them.
/// </summary>
internal sealed class ShapeView
{
    readonly Dictionary<string, MappedTensor> byName;
    readonly Func<string, string> fileKeyOfAbsent;

    /// <param name="where">The file, for messages.</param>
    /// <param name="what">What the component must be, e.g. "an SD3 / SD3.5 MMDiT".</param>
    /// <param name="fileKeyOfAbsent">The file key a name would have, for tensors that are missing.</param>
    public ShapeView(string where, string what, IEnumerable<MappedTensor> tensors, Func<string, string> fileKeyOfAbsent)
    {
        Where = where;
        What = what;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        this.fileKeyOfAbsent = fileKeyOfAbsent;
    }

    public string Where { get; }
    public string What { get; }
    public IEnumerable<string> Names => byName.Keys;

    public bool Has(string name) => byName.ContainsKey(name);

    /// <summary>The shape of a tensor the component cannot be without, checked for rank.</summary>
    public long[] Shape(string name, int rank)
    {
        if (!byName.TryGetValue(name, out var tensor))
            throw new ModelFolderException($"{Where}: not {What}: tensor {MessageText.Quote(fileKeyOfAbsent(name))} is missing");
        if (tensor.Shape.Length != rank)
            throw new ModelFolderException($"{Where}: tensor {MessageText.Quote(tensor.Source.Name)} has shape {tensor.ShapeText}, expected {rank} dimensions");
        return tensor.Shape;
    }

    /// <summary>Dimension <paramref name="axis"/> of <see cref="Shape"/>, as an int.</summary>
    public int Dim(string name, int rank, int axis) => checked((int)Shape(name, rank)[axis]);

    /// <summary>"'file key' [shape]" of a present tensor, as evidence in messages.</summary>
    public string Show(string name) =>
        byName.TryGetValue(name, out var tensor) ? $"{MessageText.Quote(tensor.Source.Name)} {tensor.ShapeText}" : MessageText.Quote(fileKeyOfAbsent(name));

    public ModelFolderException Error(string message) => new($"{Where}: {message}");
}
