using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void LayerNormModulate(Tensor x, Modulation scale, Modulation? shift, Tensor y, float eps)
    {
        OpChecks.LayerNormModulate(x, scale, shift, y);
        int width = x.Dim(2), tokens = x.Dim(1);
        CpuParallel.ForRows(x.Rows, width, new LayerNormModulateRows(x, scale, shift, y, eps, width, tokens));
    }

    public void RmsNormHeads(Tensor x, Tensor weight, int headDim, float eps)
    {
        OpChecks.RmsNormHeads(x, weight, headDim);
        CpuParallel.ForRows(checked((int)(x.Length / headDim)), headDim, new RmsNormHeadRows(x, weight, headDim, eps));
    }

    readonly struct LayerNormModulateRows(Tensor x, Modulation scale, Modulation? shift, Tensor y, float eps, int width, int tokens) : IRowJob
    {
        public void Run(int start, int end)
        {
            var xs = x.Span();
            var ys = y.Span();
            var scales = scale.Embedding.Span();
            var shifts = shift is { } s ? s.Embedding.Span() : default;
            for (int r = start; r < end; r++)
            {
                var src = xs.Slice(r * width, width);
                var dst = ys.Slice(r * width, width);
                var (mean, inv) = RowStatistics.MeanAndInverseStd(src, eps);
                int b = r / tokens;
                var sc = ChunkRow(scales, scale.Embedding, scale.Chunk, b, width);
                for (int i = 0; i < width; i++) dst[i] = (src[i] - mean) * inv * (1f + sc[i]);
                if (shift is { } sh) TensorPrimitives.Add(dst, ChunkRow(shifts, sh.Embedding, sh.Chunk, b, width), dst);
            }
        }
    }

    /// <summary>Each "row" is one head of one token.</summary>
    readonly struct RmsNormHeadRows(Tensor x, Tensor weight, int headDim, float eps) : IRowJob
    {
        public void Run(int start, int end)
        {
            var xs = x.Span();
            var w = weight.Span();
            for (int h = start; h < end; h++)
            {
                var v = xs.Slice(h * headDim, headDim);
                float inv = RowStatistics.InverseRms(v, eps);
                for (int i = 0; i < headDim; i++) v[i] = v[i] * inv * w[i];
            }
        }
    }
}
