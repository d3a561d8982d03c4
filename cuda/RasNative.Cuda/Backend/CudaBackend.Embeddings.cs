using System.Runtime.InteropServices;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public unsafe void TimestepEmbedding(ReadOnlySpan<float> timesteps, Tensor y)
    {
        using var _ = Op("timestep_embedding");
        int batch = timesteps.Length, dim = y.Dim(-1);
        Require(y.Length == (long)batch * dim, $"timestep_embedding of {batch} timesteps into {y}");
        if (batch == 0) return;
        var bytes = MemoryMarshal.AsBytes(timesteps);
        var times = Scratch(bytes.Length);
        fixed (byte* p = bytes) calls.CopyHostToDevice(times, p, (nuint)bytes.Length);
        Launch("timestep_embedding", y.Length, times, Ptr(y), batch, dim);
        FreeScratch(times);
    }

    public void Patchify(Tensor latent, int patchSize, IndexList? patches, Tensor y)
    {
        using var _ = Op("patchify");
        var (batch, channels, height, width, n) = PatchGeometry(latent, patchSize, patches);
        Require(y.Length == (long)batch * n * channels * patchSize * patchSize, $"patchify {latent} (p={patchSize}, {n} patches) → {y}");
        Launch("patchify", y.Length, Ptr(latent), Ptr(y), patches is null ? 0UL : Ptr(patches), batch, channels, height, width, patchSize, n);
    }

    public void Unpatchify(Tensor tokens, int patchSize, IndexList? patches, Tensor y)
    {
        using var _ = Op("unpatchify");
        var (batch, channels, height, width, _) = PatchGeometry(y, patchSize, patches);
        int n = tokens.Dim(1);
        Require(tokens.Length == (long)batch * n * channels * patchSize * patchSize && (patches is null || patches.Count == n)
            && n <= height / patchSize * (width / patchSize), $"unpatchify {tokens} (p={patchSize}) → {y}");
        Launch("unpatchify", tokens.Length, Ptr(tokens), Ptr(y), patches is null ? 0UL : Ptr(patches), batch, channels, height, width, patchSize, n);
    }

    public void AddRows(Tensor x, Tensor table, IndexList rows)
    {
        using var _ = Op("add_rows");
        int dim = x.Dim(-1), n = rows.Count;
        Require(n > 0 && x.Length % ((long)n * dim) == 0 && table.Dim(-1) == dim, $"add_rows {x} += {table}[{n} rows]");
        Launch("add_rows", x.Length, Ptr(x), Ptr(table), Ptr(rows), (int)(x.Length / ((long)n * dim)), n, dim);
    }

    /// <summary>Latent [B, C, H, W] dims and the token count (listed patches, or the whole grid).</summary>
    static (int Batch, int Channels, int Height, int Width, int Tokens) PatchGeometry(Tensor latent, int patchSize, IndexList? patches)
    {
        Require(latent.Rank == 4 && patchSize > 0 && latent.Dim(2) % patchSize == 0 && latent.Dim(3) % patchSize == 0,
            $"latent {latent} is not [B, C, H, W] divisible by patch size {patchSize}");
        int tokens = patches?.Count ?? latent.Dim(2) / patchSize * (latent.Dim(3) / patchSize);
        return (latent.Dim(0), latent.Dim(1), latent.Dim(2), latent.Dim(3), tokens);
    }
}
