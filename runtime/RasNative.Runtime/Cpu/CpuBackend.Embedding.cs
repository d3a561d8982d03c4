using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void TimestepEmbedding(ReadOnlySpan<float> timesteps, Tensor y)
    {
        int dim = y.Dim(-1), half = dim / 2;
        if (y.Dim(0) != timesteps.Length || dim % 2 != 0)
            throw new ArgumentException($"timestep embedding: {timesteps.Length} timesteps into {y}");
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
        int batch = latent.Dim(0), channels = latent.Dim(1), height = latent.Dim(2), width = latent.Dim(3);
        int gridW = width / patchSize, p = patchSize, features = channels * p * p;
        int count = patches?.Count ?? (height / p) * gridW;
        if (y.Dim(-1) != features || y.Length != (long)batch * count * features)
            throw new ArgumentException($"patchify: {latent} into {y}");
        var ids = patches?.Indices();
        var src = latent.Span();
        var dst = y.Span();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < count; i++)
            {
                int patch = ids?[i] ?? i, row = patch / gridW, col = patch % gridW;
                var v = dst.Slice((b * count + i) * features, features);
                for (int c = 0; c < channels; c++)
                    for (int py = 0; py < p; py++)
                        for (int px = 0; px < p; px++)
                            v[(c * p + py) * p + px] = src[((b * channels + c) * height + row * p + py) * width + col * p + px];
            }
    }

    public void Unpatchify(Tensor tokens, int patchSize, IndexList? patches, Tensor y)
    {
        int batch = y.Dim(0), channels = y.Dim(1), height = y.Dim(2), width = y.Dim(3);
        int gridW = width / patchSize, p = patchSize, features = channels * p * p;
        int count = tokens.Dim(-2);
        if (tokens.Dim(-1) != features || tokens.Length != (long)batch * count * features)
            throw new ArgumentException($"unpatchify: {tokens} into {y}");
        var ids = patches?.Indices();
        var src = tokens.Span();
        var dst = y.Span();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < count; i++)
            {
                int patch = ids?[i] ?? i, row = patch / gridW, col = patch % gridW;
                var v = src.Slice((b * count + i) * features, features);
                for (int py = 0; py < p; py++)
                    for (int px = 0; px < p; px++)
                        for (int c = 0; c < channels; c++)
                            dst[((b * channels + c) * height + row * p + py) * width + col * p + px] = v[(py * p + px) * channels + c];
            }
    }

    public void AddRows(Tensor x, Tensor table, IndexList rows)
    {
        int width = x.Dim(-1), count = x.Dim(-2);
        if (table.Dim(-1) != width || rows.Count != count)
            throw new ArgumentException($"add rows: {x}, table {table}, {rows.Count} rows");
        var ids = rows.Indices();
        var xs = x.Span();
        var tab = table.Span();
        for (int r = 0; r < x.Rows; r++)
        {
            var dst = xs.Slice(r * width, width);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, tab.Slice(ids[r % count] * width, width), dst);
        }
    }
}
