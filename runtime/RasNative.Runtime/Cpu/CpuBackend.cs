using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu.Kernels;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>
/// The float32 reference backend: every op is a plain loop (SIMD where it matters) that runs at once, computing
/// in float32; Linear weights stay in their stored width and are widened exactly inside the GEMM.
/// It is the oracle the CUDA kernels are tested against, so each op reads like its specification.
/// </summary>
public sealed partial class CpuBackend : IBackend
{
    readonly List<IDisposable> ownedWeights = [];

    public string Name => "cpu";

    public Tensor Allocate(params int[] shape) => new(new CpuStorage(Tensor.ShapeLength(shape)), 0, shape);

    public Tensor Upload(ReadOnlySpan<float> data, params int[] shape)
    {
        var t = Allocate(shape);
        Write(data, t);
        return t;
    }

    public void Download(Tensor source, Span<float> destination)
    {
        if (destination.Length != source.Length) throw new ArgumentException($"download of {source} into {destination.Length} values");
        source.Span().CopyTo(destination);
    }

    public void Write(ReadOnlySpan<float> source, Tensor destination)
    {
        if (source.Length != destination.Length) throw new ArgumentException($"write of {source.Length} values into {destination}");
        source.CopyTo(destination.Span());
    }

    public IndexList UploadIndices(ReadOnlySpan<int> indices) => new CpuIndexList(indices.ToArray(), indices.Length);

    public IndexList AllocateIndices(int capacity) => new CpuIndexList(new int[capacity], 0);

    public IndexList WriteIndices(ReadOnlySpan<int> indices, IndexList buffer)
    {
        if (indices.Length > buffer.Capacity) throw new ArgumentException($"{indices.Length} ids into an index buffer of {buffer.Capacity}");
        var storage = buffer.Indices();
        indices.CopyTo(storage);
        return new CpuIndexList(storage, indices.Length);
    }

    public LinearWeight UploadLinear(StoredTensor weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures)
    {
        var packed = PackedLinearWeight.Create(weight, bias, outFeatures, inFeatures);
        lock (ownedWeights) ownedWeights.Add(packed);
        return packed;
    }

    public long LinearWeightBytes(DType storage, int outFeatures, int inFeatures, bool hasBias) =>
        PackedLinearWeight.BytesFor(storage, outFeatures, inFeatures, hasBias);

    public EmbeddingTable UploadEmbedding(StoredTensor table, int rows, int width)
    {
        var created = CpuEmbeddingTable.Create(table, rows, width);
        lock (ownedWeights) ownedWeights.Add(created);
        return created;
    }

    public long EmbeddingBytes(DType storage, int rows, int width) => CpuEmbeddingTable.BytesFor(storage, rows, width);

    public void Synchronize()
    {
    }

    public IDisposable Range(string name) => NoRange.Instance;

    public void Dispose()
    {
        lock (ownedWeights)
        {
            foreach (var w in ownedWeights) w.Dispose();
            ownedWeights.Clear();
        }
    }

    sealed class NoRange : IDisposable
    {
        public static readonly NoRange Instance = new();

        public void Dispose()
        {
        }
    }
}
