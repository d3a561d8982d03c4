using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu.Kernels;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public unsafe void Linear(Tensor x, LinearWeight weight, Tensor y, Activation activation = Activation.None)
    {
        OpChecks.Linear(x, weight, y);
        var epilogue = activation switch
        {
            Activation.None => GemmEpilogue.None,
            Activation.GeluTanh => GemmEpilogue.GeluTanh,
            Activation.Silu => GemmEpilogue.Silu,
            Activation.Gelu => GemmEpilogue.Gelu,
            Activation.QuickGelu => GemmEpilogue.QuickGelu,
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
        switch (weight)
        {
            case PackedLinearWeight w:
                CpuGemm.Linear(x.Pointer(), x.Rows, w, y.Pointer(), epilogue);
                break;
            case PackedLinearParts parts:
                long partLength = (long)x.Rows * parts.OutFeatures;
                for (int p = 0; p < parts.Packed.Count; p++)
                    CpuGemm.Linear(x.Pointer(), x.Rows, parts.Packed[p], y.Pointer() + p * partLength, epilogue);
                break;
            default:
                throw new ArgumentException("weight does not belong to the CPU backend");
        }
    }

    public unsafe void Attention(AttentionArgs a)
    {
        OpChecks.Attention(a);
        int batch = a.Query1.Dim(0);
        fixed (int* buckets = a.PositionBias is { } bias ? bias.Buckets.Ids : default)
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

    static unsafe AttentionSegment Segment(Tensor? t) => t is null
        ? default
        : new AttentionSegment(t.Pointer(), t.Dim(1), (long)t.Dim(1) * t.Dim(2), t.Dim(2));
}
