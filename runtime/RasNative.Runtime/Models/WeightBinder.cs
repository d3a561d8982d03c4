using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// Binds parameters by their diffusers names onto a backend, strictly: the model states every tensor it needs
/// (a Linear's bias included), each is checked for presence, shape and finite values (a NaN or ∞ in a checkpoint is
/// damage, never a weight), and <see cref="Finish"/> rejects any tensor of the source the model did not use. Linear
/// weights reach the backend in their stored width; their values are checked on the stored bits, not widened for it.
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
        RequireFinite(prefix + ".weight", NonFiniteValues.IndexOf(weight.Format, weight.Bytes, weight.Scale), weight);
        var biasValues = bias ? Read(prefix + ".bias", [outFeatures]) : [];
        var linear = backend.UploadLinear(weight, biasValues, outFeatures, inFeatures);
        BytesHeld += linear.Bytes;
        return linear;
    }

    /// <summary>
    /// Linears of one shape that read the same input, each bound by its own name (an attention's to_q, to_k, to_v; a
    /// joint block's two adaLN Linears of SiLU(temb)), handed to the backend as one weight of parts
    /// (<see cref="IBackend.UploadLinearParts"/>): the one place where projections are fused. The model's Linear then writes part p into y[p] of y [parts, rows.., out].
    /// </summary>
    public LinearWeight LinearParts(string[] prefixes, bool bias, int outFeatures, int inFeatures)
    {
        int parts = prefixes.Length;
        var scales = new float[parts];
        var biases = bias ? new float[parts * outFeatures] : [];
        byte[]? matrix = null;
        var format = DType.F32;
        for (int p = 0; p < parts; p++)
        {
            var weight = source.ReadStored(Use(prefixes[p] + ".weight"), [outFeatures, inFeatures]);
            RequireFinite(prefixes[p] + ".weight", NonFiniteValues.IndexOf(weight.Format, weight.Bytes, weight.Scale), weight);
            if (p == 0)
            {
                format = weight.Format;
                matrix = new byte[checked(parts * weight.Bytes.Length)];
            }
            else if (weight.Format != format)
            {
                throw new ModelLoadException($"{source.Description}: '{prefixes[p]}.weight' is {weight.Format} but '{prefixes[0]}.weight' is " +
                    $"{format}; Linears fused into one (they read the same input) must be stored in one format");
            }
            weight.Bytes.CopyTo(matrix.AsSpan(p * weight.Bytes.Length));
            scales[p] = weight.Scale;
            if (bias) Read(prefixes[p] + ".bias", [outFeatures]).CopyTo(biases, p * outFeatures);
        }
        var stacked = new StoredTensor(format, matrix, [(long)parts * outFeatures, inFeatures]);
        var linear = backend.UploadLinearParts(stacked, scales, biases, outFeatures, inFeatures);
        BytesHeld += linear.Bytes;
        return linear;
    }

    /// <summary>Whether these Linears' weights are stored in one format, as <see cref="LinearParts"/> requires: a model fuses
    /// projections it may also run apart (SD3's adaLN pair) only where the checkpoint allows.</summary>
    public bool StoredInOneFormat(string[] prefixes, int outFeatures, int inFeatures) =>
        prefixes.Select(p => source.StoredFormat(p + ".weight", [outFeatures, inFeatures])).Distinct().Count() == 1;

    /// <summary>
    /// nn.Conv2d [out, in, k, k] with its bias, as <see cref="IBackend.Conv2d"/> takes it: a Linear [out, k·k·in] whose
    /// rows are PyTorch's kernels permuted to (ky, kx, in) order, so a channels-last window is one contiguous row. The
    /// permutation moves the stored bytes on the host; the weight keeps its stored width like every Linear.
    /// </summary>
    public LinearWeight Conv2d(string prefix, int outChannels, int inChannels, int kernelSize)
    {
        var stored = source.ReadStored(Use(prefix + ".weight"), [outChannels, inChannels, kernelSize, kernelSize]);
        var bias = source.Read(Use(prefix + ".bias"), [outChannels]);
        var permuted = kernelSize == 1 ? stored : ChannelsLast(stored, outChannels, inChannels, kernelSize * kernelSize);
        var conv = backend.UploadLinear(permuted, bias, outChannels, kernelSize * kernelSize * inChannels);
        BytesHeld += conv.Bytes;
        return conv;
    }

    /// <summary>[out, in, taps] → [out, taps, in], element by element in the stored format.</summary>
    static StoredTensor ChannelsLast(StoredTensor weight, int outChannels, int inChannels, int taps)
    {
        int size = weight.Format.ElementSize();
        var source = weight.Bytes;
        var bytes = new byte[source.Length];
        for (int o = 0; o < outChannels; o++)
            for (int c = 0; c < inChannels; c++)
                for (int t = 0; t < taps; t++)
                    source.Slice((((o * inChannels) + c) * taps + t) * size, size)
                        .CopyTo(bytes.AsSpan(((o * taps + t) * inChannels + c) * size, size));
        return new StoredTensor(weight.Format, bytes, [outChannels, taps, inChannels], weight.Scale);
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
        var tensor = backend.Upload(Read(name, shape), shape);
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

    float[] Read(string name, int[] shape)
    {
        var values = source.Read(Use(name), shape);
        RequireFinite(name, NonFiniteValues.IndexOf(values), StoredTensor.F32(values, [.. shape.Select(d => (long)d)]));
        return values;
    }

    void RequireFinite(string name, int index, StoredTensor tensor)
    {
        if (index < 0) return;
        int size = tensor.Format.ElementSize();
        Span<float> value = stackalloc float[1];
        FloatFormats.Widen(tensor.Format, tensor.Bytes.Slice(index * size, size), tensor.Scale, value);
        throw new ModelLoadException($"{source.Description}: tensor '{name}' {tensor.ShapeText} holds {value[0]} at element {index}; " +
            "a checkpoint's weights must be finite (the file is damaged or was saved from a diverged model)");
    }

    string Use(string name)
    {
        used.Add(name);
        return name;
    }
}
