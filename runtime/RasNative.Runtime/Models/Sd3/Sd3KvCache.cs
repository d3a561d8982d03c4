using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

/// <summary>
/// Per block: keys and values [B, P, D] of every image token (post qk-norm) for the joint attention, and a
/// second pair for SD3.5's image-only attn2 where the block has one.
/// </summary>
internal sealed class Sd3KvCache
{
    public Sd3KvCache(IBackend backend, JointBlockWeights[] blocks, int batch, int patches, int width)
    {
        Batch = batch;
        Patches = patches;
        Tensor New() => backend.Allocate(batch, patches, width);
        Joint = [.. blocks.Select(_ => new KvPair(New(), New()))];
        Image = [.. blocks.Select(b => b.Attn2 == null ? null : new KvPair(New(), New()))];
    }

    public int Batch { get; }
    public int Patches { get; }
    public KvPair[] Joint { get; }
    public KvPair?[] Image { get; }
    public bool Stored { get; set; }
}

internal sealed record KvPair(Tensor Keys, Tensor Values);
