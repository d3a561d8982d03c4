using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

/// <summary>
/// The activation arena: every buffer one forward needs, sized once for the largest batch, image-token and
/// text-token counts; a forward over fewer tokens takes leading views of the same storage.
/// </summary>
internal sealed class Sd3Activations
{
    public Sd3Activations(ITensorAllocator backend, TokenShape capacity, int width, int patchFeatures, int outFeatures)
    {
        int b = capacity.Batch, n = capacity.ImageTokens, l = capacity.TextTokens, d = width, rows = Math.Max(n, l);
        Patches = backend.Allocate(checked(b * n * patchFeatures));
        X = backend.Allocate(checked(b * n * d));
        NormX = backend.Allocate(checked(b * n * d));
        NormX2 = backend.Allocate(checked(b * n * d));
        Qkv = backend.Allocate(checked(3 * b * n * d));
        AttnImage = backend.Allocate(checked(b * n * d));
        Context = backend.Allocate(checked(b * l * d));
        NormContext = backend.Allocate(checked(b * l * d));
        ContextQkv = backend.Allocate(checked(3 * b * l * d));
        AttnContext = backend.Allocate(checked(b * l * d));
        Projected = backend.Allocate(checked(b * rows * d));
        FeedForwardHidden = backend.Allocate(checked(b * rows * 4 * d));
        OutTokens = backend.Allocate(checked(b * n * outFeatures));
        TimestepProj = backend.Allocate(checked(b * Sd3Transformer.TimestepFeatures));
        Hidden = backend.Allocate(checked(b * d));
        TimestepEmb = backend.Allocate(checked(b * d));
        PooledEmb = backend.Allocate(checked(b * d));
        Temb = backend.Allocate(checked(b * d));
        TembSilu = backend.Allocate(checked(b * d));
        Emb = backend.Allocate(checked(2 * b * (9 + 6) * d));
    }

    public Tensor Patches { get; }
    public Tensor X { get; }
    public Tensor NormX { get; }
    public Tensor NormX2 { get; }
    /// <summary>q, k, v of the image stream (or attn2's) one after the other: the output of the to_q/to_k/to_v parts.</summary>
    public Tensor Qkv { get; }
    public Tensor AttnImage { get; }
    public Tensor Context { get; }
    public Tensor NormContext { get; }
    public Tensor ContextQkv { get; }
    public Tensor AttnContext { get; }
    public Tensor Projected { get; }
    public Tensor FeedForwardHidden { get; }
    public Tensor OutTokens { get; }
    public Tensor TimestepProj { get; }
    public Tensor Hidden { get; }
    public Tensor TimestepEmb { get; }
    public Tensor PooledEmb { get; }
    public Tensor Temb { get; }
    public Tensor TembSilu { get; }
    /// <summary>Two halves, one per block parity, each a block's adaLN outputs: the image stream's chunks [B, 6·D or 9·D],
    /// then the context's [B, 6·D or 2·D] right after them (so the two parts of a fused norm1/norm1_context Linear land in
    /// place); norm_out's at the start.</summary>
    public Tensor Emb { get; }
}
