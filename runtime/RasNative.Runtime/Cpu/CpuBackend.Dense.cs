using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu.Kernels;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public unsafe void Linear(Tensor x, LinearWeight weight, Tensor y, Activation activation = Activation.None)
    {
        var w = weight as PackedLinearWeight ?? throw new ArgumentException("weight does not belong to the CPU backend");
        OpChecks.Linear(x, w, y);
        var epilogue = activation switch
        {
            Activation.None => GemmEpilogue.None,
            Activation.GeluTanh => GemmEpilogue.GeluTanh,
            Activation.Silu => GemmEpilogue.Silu,
            Activation.Gelu => GemmEpilogue.Gelu,
            Activation.QuickGelu => GemmEpilogue.QuickGelu,
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
        CpuGemm.Linear(x.Pointer(), x.Rows, w, y.Pointer(), epilogue);
    }

    public unsafe void Attention(AttentionArgs a)
    {
        OpChecks.Attention(a);
        int batch = a.Query1.Dim(0);
        fixed (int* buckets = BiasBuckets(a))
        {
            var problem = new AttentionProblem
            {
                Batch = batch,
                Heads = a.Heads,
                KvHeads = a.EffectiveKvHeads,
                HeadDim = a.HeadDim,
                Scale = a.Scale,
                Q1 = Segment(a.Query1),
                Q2 = Segment(a.Query2),
                K1 = Segment(a.Key1),
                K2 = Segment(a.Key2),
                V1 = Segment(a.Value1),
                V2 = Segment(a.Value2),
                O1 = Segment(a.Output1),
                O2 = Segment(a.Output2),
                KeyMask = a.KeyMask is null ? null : a.KeyMask.Pointer(),
                KeyMaskBatchStride = a.KeyMask is null ? 0 : a.KeyMask.Dim(-1),
                Causal = a.Causal,
                PositionBias = a.PositionBias is null ? null : a.PositionBias.Table.Pointer(),
                BiasBuckets = buckets,
            };
            CpuAttention.Run(in problem);
        }
    }

    /// <summary>The position bias's bucket ids after checking them and its table against the heads and the sequence lengths; null without a bias.</summary>
    static int[]? BiasBuckets(AttentionArgs a)
    {
        if (a.PositionBias is not { } bias) return null;
        int queries = a.Query1.Dim(1) + (a.Query2?.Dim(1) ?? 0), keys = a.Key1.Dim(1) + (a.Key2?.Dim(1) ?? 0);
        int buckets = bias.Table.Rows;
        if (bias.Table.Rank != 2 || bias.Table.Dim(1) != a.Heads || bias.Buckets.Count != queries + keys - 1)
            throw new ArgumentException($"position bias: table {bias.Table} for {a.Heads} heads, {bias.Buckets.Count} bucket ids for {queries} queries and {keys} keys");
        var ids = bias.Buckets.Indices();
        for (int i = 0; i < bias.Buckets.Count; i++)
            if ((uint)ids[i] >= (uint)buckets) throw new ArgumentException($"position bias: bucket id {ids[i]} outside [0, {buckets})");
        return ids;
    }

    static unsafe AttentionSegment Segment(Tensor? t) => t is null
        ? default
        : new AttentionSegment(t.Pointer(), t.Dim(1), (long)t.Dim(1) * t.Dim(2), t.Dim(2));
}
