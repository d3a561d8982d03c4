using System.Diagnostics;
using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cli.Bench;

/// <summary>
/// Wraps a backend and accounts every op's time (synchronising after each, so queued GPU work is charged to
/// the op that issued it) and FLOPs counted from the operand shapes, per op class.
/// </summary>
public sealed class ProfilingBackend(IBackend inner) : IBackend
{
    readonly double[] seconds = new double[3];
    double gemmFlops, attentionFlops;

    public bool Enabled { get; set; }

    /// <summary>The backend being profiled.</summary>
    public IBackend Inner => inner;
    public double Seconds(OpClass op) => seconds[(int)op];
    public double Flops => gemmFlops + attentionFlops;

    /// <summary>The FLOPs counted for an op class (elementwise ops count none).</summary>
    public double FlopsOf(OpClass op) => op switch
    {
        OpClass.Gemm => gemmFlops,
        OpClass.Attention => attentionFlops,
        _ => 0,
    };

    public void Reset()
    {
        Array.Clear(seconds);
        gemmFlops = attentionFlops = 0;
    }

    void Timed(OpClass op, Action body)
    {
        if (!Enabled)
        {
            body();
            return;
        }
        long start = Stopwatch.GetTimestamp();
        body();
        inner.Synchronize();
        seconds[(int)op] += Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    public string Name => inner.Name;
    public Tensor Allocate(params int[] shape) => inner.Allocate(shape);
    public Tensor Upload(ReadOnlySpan<float> data, params int[] shape) => inner.Upload(data, shape);
    public void Download(Tensor source, Span<float> destination) => inner.Download(source, destination);
    public void Write(ReadOnlySpan<float> source, Tensor destination) => inner.Write(source, destination);
    public IndexList UploadIndices(ReadOnlySpan<int> indices) => inner.UploadIndices(indices);
    public IndexList AllocateIndices(int capacity) => inner.AllocateIndices(capacity);
    public IndexList WriteIndices(ReadOnlySpan<int> indices, IndexList buffer) => inner.WriteIndices(indices, buffer);
    public LinearWeight UploadLinear(StoredTensor weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures) =>
        inner.UploadLinear(weight, bias, outFeatures, inFeatures);
    public long LinearWeightBytes(DType storage, int outFeatures, int inFeatures, bool hasBias) =>
        inner.LinearWeightBytes(storage, outFeatures, inFeatures, hasBias);
    public EmbeddingTable UploadEmbedding(StoredTensor table, int rows, int width) => inner.UploadEmbedding(table, rows, width);
    public long EmbeddingBytes(DType storage, int rows, int width) => inner.EmbeddingBytes(storage, rows, width);
    public void Synchronize() => inner.Synchronize();
    public IDisposable Range(string name) => inner.Range(name);
    public void Dispose() => inner.Dispose();

    public void Linear(Tensor x, LinearWeight weight, Tensor y, Activation activation = Activation.None)
    {
        gemmFlops += 2.0 * x.Rows * weight.InFeatures * weight.OutFeatures;
        Timed(OpClass.Gemm, () => inner.Linear(x, weight, y, activation));
    }

    public void Attention(AttentionArgs args)
    {
        // The CPU skips key tiles wholly after a causal query tile; the FLOPs stated are the full product's.
        long queries = (long)args.Query1.Dim(0) * (args.Query1.Dim(1) + (args.Query2?.Dim(1) ?? 0));
        long keys = args.Key1.Dim(1) + (args.Key2?.Dim(1) ?? 0);
        attentionFlops += 4.0 * queries * keys * args.Heads * args.HeadDim;
        Timed(OpClass.Attention, () => inner.Attention(args));
    }

    public void Conv2d(Tensor x, LinearWeight weight, int kernelSize, bool upsample, Tensor y)
    {
        gemmFlops += 2.0 * y.Rows * weight.InFeatures * weight.OutFeatures;
        Timed(OpClass.Gemm, () => inner.Conv2d(x, weight, kernelSize, upsample, y));
    }

    public void GroupNorm(Tensor x, Tensor weight, Tensor bias, int groups, float eps, bool silu, Tensor y) =>
        Timed(OpClass.Elementwise, () => inner.GroupNorm(x, weight, bias, groups, eps, silu, y));

    public void Silu(Tensor x, Tensor y) => Timed(OpClass.Elementwise, () => inner.Silu(x, y));
    public void Add(Tensor a, Tensor b, Tensor y) => Timed(OpClass.Elementwise, () => inner.Add(a, b, y));
    public void Copy(Tensor source, Tensor destination) => Timed(OpClass.Elementwise, () => inner.Copy(source, destination));
    public void Fill(Tensor tensor, float value) => Timed(OpClass.Elementwise, () => inner.Fill(tensor, value));
    public void LayerNormModulate(Tensor x, Modulation scale, Modulation? shift, Tensor y, float eps) =>
        Timed(OpClass.Elementwise, () => inner.LayerNormModulate(x, scale, shift, y, eps));
    public void GatedResidual(Tensor x, Tensor y, Modulation gate) => Timed(OpClass.Elementwise, () => inner.GatedResidual(x, y, gate));
    public void RmsNormHeads(Tensor x, Tensor weight, int headDim, float eps) => Timed(OpClass.Elementwise, () => inner.RmsNormHeads(x, weight, headDim, eps));
    public void TimestepEmbedding(ReadOnlySpan<float> timesteps, Tensor y)
    {
        var copy = timesteps.ToArray();
        Timed(OpClass.Elementwise, () => inner.TimestepEmbedding(copy, y));
    }
    public void Patchify(Tensor latent, int patchSize, IndexList? patches, Tensor y) => Timed(OpClass.Elementwise, () => inner.Patchify(latent, patchSize, patches, y));
    public void AddRows(Tensor x, Tensor table, IndexList rows) => Timed(OpClass.Elementwise, () => inner.AddRows(x, table, rows));
    public void Unpatchify(Tensor tokens, int patchSize, IndexList? patches, Tensor y) => Timed(OpClass.Elementwise, () => inner.Unpatchify(tokens, patchSize, patches, y));
    public void GatherRows(Tensor source, IndexList indices, Tensor destination) => Timed(OpClass.Elementwise, () => inner.GatherRows(source, indices, destination));
    public void ScatterRows(Tensor source, IndexList indices, Tensor destination) => Timed(OpClass.Elementwise, () => inner.ScatterRows(source, indices, destination));
    public void Guidance(Tensor uncond, Tensor cond, float scale, Tensor y) => Timed(OpClass.Elementwise, () => inner.Guidance(uncond, cond, scale, y));
    public void RmsNormModulate(Tensor x, Tensor weight, Modulation? scale, Tensor y, float eps) => Timed(OpClass.Elementwise, () => inner.RmsNormModulate(x, weight, scale, y, eps));
    public void LayerNorm(Tensor x, Tensor weight, Tensor bias, Tensor y, float eps) => Timed(OpClass.Elementwise, () => inner.LayerNorm(x, weight, bias, y, eps));
    public void ApplyRope(Tensor x, Tensor table, int headDim) => Timed(OpClass.Elementwise, () => inner.ApplyRope(x, table, headDim));
    public void Multiply(Tensor a, Tensor b, Tensor y) => Timed(OpClass.Elementwise, () => inner.Multiply(a, b, y));
    public void Tanh(Tensor x, Tensor y) => Timed(OpClass.Elementwise, () => inner.Tanh(x, y));
    public void AddTanhGatedHeads(Tensor x, Tensor y, Tensor gate, int headDim) => Timed(OpClass.Elementwise, () => inner.AddTanhGatedHeads(x, y, gate, headDim));
    public void Embedding(EmbeddingTable table, IndexList ids, Tensor y) => Timed(OpClass.Elementwise, () => inner.Embedding(table, ids, y));
    public void MaskedMeanRows(Tensor x, Tensor mask, Tensor y) => Timed(OpClass.Elementwise, () => inner.MaskedMeanRows(x, mask, y));
}
