using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void LayerNormModulate(Tensor x, Modulation scale, Modulation? shift, Tensor y, float eps)
    {
        RequireSameLength(x, y, "layernorm");
        int width = x.Dim(-1), tokens = x.Rank >= 2 ? x.Dim(-2) : 1;
        CpuParallel.ForRows(x.Rows, width, (start, end) =>
        {
            var xs = x.Span();
            var ys = y.Span();
            var scales = scale.Embedding.Span();
            var shifts = shift is { } s ? s.Embedding.Span() : default;
            for (int r = start; r < end; r++)
            {
                var src = xs.Slice(r * width, width);
                var dst = ys.Slice(r * width, width);
                float mean = TensorPrimitives.Sum(src) / width;
                float variance = 0;
                foreach (var v in src) variance += (v - mean) * (v - mean);
                float inv = 1f / MathF.Sqrt(variance / width + eps);
                int b = r / tokens;
                var sc = ChunkRow(scales, scale.Embedding, scale.Chunk, b, width);
                for (int i = 0; i < width; i++) dst[i] = (src[i] - mean) * inv * (1f + sc[i]);
                if (shift is { } sh) TensorPrimitives.Add(dst, ChunkRow(shifts, sh.Embedding, sh.Chunk, b, width), dst);
            }
        });
    }

    public void RmsNormHeads(Tensor x, Tensor weight, int headDim, float eps)
    {
        if (x.Dim(-1) % headDim != 0 || weight.Length != headDim)
            throw new ArgumentException($"rms norm: {x} with head dim {headDim} and weight {weight}");
        int heads = checked((int)(x.Length / headDim));
        CpuParallel.ForRows(heads, headDim, (start, end) =>
        {
            var xs = x.Span();
            var w = weight.Span();
            for (int h = start; h < end; h++)
            {
                var v = xs.Slice(h * headDim, headDim);
                float inv = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(v) / headDim + eps);
                for (int i = 0; i < headDim; i++) v[i] = v[i] * inv * w[i];
            }
        });
    }
}
