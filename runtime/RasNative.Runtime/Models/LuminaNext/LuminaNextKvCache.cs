using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

/// <summary>
/// Per layer: attn1's keys (after qk-norm and RoPE) and values of every image token, [B, P, kvHeads·hd]. Cached
/// keys keep the rotation of the step that computed them (ras.md appendix B2): RoPE is never re-applied to them.
/// </summary>
internal sealed class LuminaNextKvCache
{
    public LuminaNextKvCache(IBackend backend, int layers, int batch, int patches, int width)
    {
        Batch = batch;
        Patches = patches;
        Layers = [.. Enumerable.Range(0, layers).Select(_ => new KvPair(backend.Allocate(batch, patches, width), backend.Allocate(batch, patches, width)))];
    }

    public int Batch { get; }
    public int Patches { get; }
    public KvPair[] Layers { get; }
    public bool Stored { get; set; }
}
