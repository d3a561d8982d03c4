using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// Binds parameters by their diffusers names onto a backend, strictly: the model states every tensor it needs
/// (a Linear's bias included), each is checked for presence and shape, and <see cref="Finish"/> rejects any tensor
/// of the source the model did not use. Linear weights reach the backend in their stored width.
/// </summary>
public sealed class WeightBinder(IWeightSource source, IBackend backend)
{
    readonly HashSet<string> used = new(StringComparer.Ordinal);

    public WeightBinder(ITensorSource checkpoint, IBackend backend)
        : this(new CheckpointWeights(checkpoint), backend)
    {
    }

    /// <summary>Backend memory held by everything bound so far.</summary>
    public long BytesHeld { get; private set; }

    /// <summary>nn.Linear (or a Conv2d whose kernel equals its stride, flattened to [out, in·kh·kw]); <paramref name="bias"/>
    /// says whether the module has one, and then it must be present.</summary>
    public LinearWeight Linear(string prefix, bool bias, int outFeatures, params int[] inShape)
    {
        int inFeatures = checked((int)Tensor.ShapeLength(inShape));
        var weight = source.ReadStored(Use(prefix + ".weight"), [outFeatures, .. inShape]);
        var biasValues = bias ? source.Read(Use(prefix + ".bias"), [outFeatures]) : [];
        var linear = backend.UploadLinear(weight, biasValues, outFeatures, inFeatures);
        BytesHeld += linear.Bytes;
        return linear;
    }

    /// <summary>An nn.Embedding table [rows, width], kept in its stored width on the backend (see <see cref="EmbeddingTable"/>).</summary>
    public EmbeddingTable Embedding(string name, int rows, int width)
    {
        var table = backend.UploadEmbedding(source.ReadStored(Use(name), [rows, width]), rows, width);
        BytesHeld += table.Bytes;
        return table;
    }

    /// <summary>Whether the source holds <paramref name="name"/> (for tensors a checkpoint may store under either of two tied names).</summary>
    public bool Has(string name) => source.Names.Contains(name, StringComparer.Ordinal);

    public Tensor Parameter(string name, params int[] shape)
    {
        var tensor = backend.Upload(source.Read(Use(name), shape), shape);
        BytesHeld += tensor.Storage.Bytes;
        return tensor;
    }

    /// <summary>
    /// Fails naming the source's tensors that nothing was bound to, except those matched by <paramref name="knownExtras"/>
    /// (a rule matches the name itself and everything under "rule.").
    /// </summary>
    public void Finish(params string[] knownExtras)
    {
        var unused = source.Names
            .Where(name => !used.Contains(name) && !knownExtras.Any(rule => name == rule || name.StartsWith(rule + ".", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unused.Count > 0)
            throw new ModelLoadException($"{source.Description}: {unused.Count} tensor(s) the model does not use: " +
                string.Join(", ", unused.Take(5).Select(n => $"'{n}'")) + (unused.Count > 5 ? ", …" : "") +
                " (a bias the module has none of, or a checkpoint of another configuration)");
    }

    string Use(string name)
    {
        used.Add(name);
        return name;
    }
}
