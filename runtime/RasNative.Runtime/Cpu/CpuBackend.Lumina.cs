using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

/// <summary>The ops Lumina-Next adds: weighted RMS/Layer norms, RoPE, SwiGLU product, tanh gates, caption pooling.</summary>
public sealed partial class CpuBackend
{
    public void RmsNormModulate(Tensor x, Tensor weight, Modulation? scale, Tensor y, float eps)
    {
        OpChecks.RmsNormModulate(x, weight, scale, y);
        int width = x.Dim(-1), tokens = scale is null ? 1 : x.Dim(1);
        CpuParallel.ForRows(x.Rows, width, new RmsNormModulateRows(x, weight, scale, y, eps, width, tokens));
    }

    public void LayerNorm(Tensor x, Tensor weight, Tensor bias, Tensor y, float eps)
    {
        OpChecks.LayerNorm(x, weight, bias, y);
        int width = x.Dim(-1);
        CpuParallel.ForRows(x.Rows, width, new LayerNormRows(x, weight, bias, y, eps, width));
    }

    public void ApplyRope(Tensor x, Tensor table, int headDim)
    {
        OpChecks.ApplyRope(x, table, headDim);
        int width = x.Dim(-1), tokens = x.Dim(-2);
        CpuParallel.ForRows(x.Rows, width, new RopeRows(x, table, headDim, width, tokens));
    }

    readonly struct RmsNormModulateRows(Tensor x, Tensor weight, Modulation? scale, Tensor y, float eps, int width, int tokens) : IRowJob
    {
        public void Run(int start, int end)
        {
            var xs = x.Span();
            var ys = y.Span();
            var w = weight.Span();
            var scales = scale is { } s ? s.Embedding.Span() : default;
            for (int r = start; r < end; r++)
            {
                var src = xs.Slice(r * width, width);
                var dst = ys.Slice(r * width, width);
                float inv = RowStatistics.InverseRms(src, eps);
                for (int i = 0; i < width; i++) dst[i] = src[i] * inv * w[i];
                if (scale is { } sc)
                {
                    var row = ChunkRow(scales, sc.Embedding, sc.Chunk, r / tokens, width);
                    for (int i = 0; i < width; i++) dst[i] *= 1f + row[i];
                }
            }
        }
    }

    readonly struct LayerNormRows(Tensor x, Tensor weight, Tensor bias, Tensor y, float eps, int width) : IRowJob
    {
        public void Run(int start, int end)
        {
            var xs = x.Span();
            var ys = y.Span();
            var w = weight.Span();
            var b = bias.Span();
            for (int r = start; r < end; r++)
            {
                var src = xs.Slice(r * width, width);
                var dst = ys.Slice(r * width, width);
                var (mean, inv) = RowStatistics.MeanAndInverseStd(src, eps);
                for (int i = 0; i < width; i++) dst[i] = (src[i] - mean) * inv * w[i] + b[i];
            }
        }
    }

    /// <summary>Channel pairs (2k, 2k+1) of each head rotated by the token's (cos, sin) pair k.</summary>
    readonly struct RopeRows(Tensor x, Tensor table, int headDim, int width, int tokens) : IRowJob
    {
        public void Run(int start, int end)
        {
            var xs = x.Span();
            var tab = table.Span();
            for (int r = start; r < end; r++)
            {
                var row = xs.Slice(r * width, width);
                var rotation = tab.Slice(r % tokens * headDim, headDim);
                for (int h = 0; h < width; h += headDim)
                    for (int k = 0; k < headDim; k += 2)
                    {
                        float a = row[h + k], b = row[h + k + 1], cos = rotation[k], sin = rotation[k + 1];
                        row[h + k] = a * cos - b * sin;
                        row[h + k + 1] = a * sin + b * cos;
                    }
            }
        }
    }

    public void Multiply(Tensor a, Tensor b, Tensor y)
    {
        OpChecks.Elementwise("multiply", a, b, y);
        TensorPrimitives.Multiply(a.Span(), b.Span(), y.Span());
    }

    public void Tanh(Tensor x, Tensor y)
    {
        OpChecks.Elementwise("tanh", x, y);
        var src = x.Span();
        var dst = y.Span();
        for (int i = 0; i < src.Length; i++) dst[i] = MathF.Tanh(src[i]);
    }

    public void AddTanhGatedHeads(Tensor x, Tensor y, Tensor gate, int headDim)
    {
        OpChecks.AddTanhGatedHeads(x, y, gate, headDim);
        int width = x.Dim(-1);
        var gates = gate.Span();
        var xs = x.Span();
        var ys = y.Span();
        for (int h = 0; h < gates.Length; h++)
        {
            float g = MathF.Tanh(gates[h]);
            for (int i = h * headDim; i < xs.Length; i += width)
                for (int c = 0; c < headDim; c++) xs[i + c] += ys[i + c] * g;
        }
    }

    public void MaskedMeanRows(Tensor x, Tensor mask, Tensor y)
    {
        OpChecks.MaskedMeanRows(x, mask, y);
        int batch = x.Dim(0), tokens = x.Dim(1), width = x.Dim(2);
        var xs = x.Span();
        var m = mask.Span();
        var ys = y.Span();
        for (int b = 0; b < batch; b++)
        {
            var sum = ys.Slice(b * width, width);
            sum.Clear();
            float count = 0;
            for (int l = 0; l < tokens; l++)
            {
                float weight = m[b * tokens + l];
                count += weight;
                var row = xs.Slice((b * tokens + l) * width, width);
                for (int i = 0; i < width; i++) sum[i] += row[i] * weight;
            }
            for (int i = 0; i < width; i++) sum[i] /= count;
        }
    }
}
