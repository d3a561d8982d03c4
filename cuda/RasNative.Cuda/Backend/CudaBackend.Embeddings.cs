using System.Runtime.InteropServices;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public unsafe void TimestepEmbedding(ReadOnlySpan<float> timesteps, Tensor y)
    {
        using var _ = Op("timestep_embedding");
        OpChecks.TimestepEmbedding(timesteps.Length, y);
        int batch = timesteps.Length, dim = y.Dim(-1);
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
        OpChecks.Patchify(latent, patchSize, patches, y);
        Launch("patchify", y.Length, Ptr(latent), Ptr(y), patches is null ? 0UL : Ptr(patches),
            latent.Dim(0), latent.Dim(1), latent.Dim(2), latent.Dim(3), patchSize, y.Dim(1));
    }

    public void Unpatchify(Tensor tokens, int patchSize, IndexList? patches, Tensor y)
    {
        using var _ = Op("unpatchify");
        OpChecks.Unpatchify(tokens, patchSize, patches, y);
        Launch("unpatchify", tokens.Length, Ptr(tokens), Ptr(y), patches is null ? 0UL : Ptr(patches),
            y.Dim(0), y.Dim(1), y.Dim(2), y.Dim(3), patchSize, tokens.Dim(1));
    }

    public void AddRows(Tensor x, Tensor table, IndexList rows)
    {
        using var _ = Op("add_rows");
        OpChecks.AddRows(x, table, rows);
        if (x.Length == 0) return;
        int dim = x.Dim(-1), n = rows.Count;
        Launch("add_rows", x.Length, Ptr(x), Ptr(table), Ptr(rows), (int)(x.Length / ((long)n * dim)), n, dim);
    }
}
