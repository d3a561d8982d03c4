using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void TimestepEmbedding(ReadOnlySpan<float> timesteps, Tensor y)
    {
        OpChecks.TimestepEmbedding(timesteps.Length, y);
        int dim = y.Dim(1), half = dim / 2;
        var dst = y.Span();
        // diffusers' Timesteps: every step in float32, so the float32 exp/sin/cos arguments match bit for bit.
        float logMaxPeriod = (float)-Math.Log(10000.0);
        for (int b = 0; b < timesteps.Length; b++)
        {
            var row = dst.Slice(b * dim, dim);
            for (int k = 0; k < half; k++)
            {
                float frequency = MathF.Exp(logMaxPeriod * k / half);
                float arg = timesteps[b] * frequency;
                row[k] = MathF.Cos(arg);
                row[half + k] = MathF.Sin(arg);
            }
        }
    }

    public void Patchify(Tensor latent, int patchSize, IndexList? patches, Tensor y)
    {
        int grid = OpChecks.Patchify(latent, patchSize, patches, y);
        int batch = latent.Dim(0), channels = latent.Dim(1), height = latent.Dim(2), width = latent.Dim(3);
        int gridW = width / patchSize, p = patchSize, features = channels * p * p, count = y.Dim(1);
        var ids = patches == null ? default : patches.IdsBelow(grid, "patchify", "patch id");
        var src = latent.Span();
        var dst = y.Span();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < count; i++)
            {
                int patch = ids.IsEmpty ? i : ids[i], row = patch / gridW, col = patch % gridW;
                var v = dst.Slice((b * count + i) * features, features);
                for (int c = 0; c < channels; c++)
                    for (int py = 0; py < p; py++)
                        for (int px = 0; px < p; px++)
                            v[(c * p + py) * p + px] = src[((b * channels + c) * height + row * p + py) * width + col * p + px];
            }
    }

    public void Unpatchify(Tensor tokens, int patchSize, IndexList? patches, Tensor y)
    {
        int grid = OpChecks.Unpatchify(tokens, patchSize, patches, y);
        int batch = y.Dim(0), channels = y.Dim(1), height = y.Dim(2), width = y.Dim(3);
        int gridW = width / patchSize, p = patchSize, features = channels * p * p, count = tokens.Dim(1);
        var ids = patches == null ? default : patches.IdsBelow(grid, "unpatchify", "patch id");
        var src = tokens.Span();
        var dst = y.Span();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < count; i++)
            {
                int patch = ids.IsEmpty ? i : ids[i], row = patch / gridW, col = patch % gridW;
                var v = src.Slice((b * count + i) * features, features);
                for (int py = 0; py < p; py++)
                    for (int px = 0; px < p; px++)
                        for (int c = 0; c < channels; c++)
                            dst[((b * channels + c) * height + row * p + py) * width + col * p + px] = v[(py * p + px) * channels + c];
            }
    }

    public void AddRows(Tensor x, Tensor table, IndexList rows)
    {
        OpChecks.AddRows(x, table, rows);
        int width = x.Dim(-1), count = x.Dim(-2);
        var ids = rows.IdsBelow(table.Dim(0), "add rows", "row id");
        var xs = x.Span();
        var tab = table.Span();
        for (int r = 0; r < x.Rows; r++)
        {
            var dst = xs.Slice(r * width, width);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, tab.Slice(ids[r % count] * width, width), dst);
        }
    }
}
