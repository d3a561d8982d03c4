using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

/// <summary>
/// The activation arena: every buffer one forward needs, sized once for the largest batch, image-token and
/// text-token counts; a forward over fewer tokens takes leading views of the same storage.
/// </summary>
internal sealed class Sd3Activations
{
    public Sd3Activations(IBackend backend, TokenShape capacity, int width, int patchFeatures, int outFeatures)
    {
        Capacity = capacity;
        int b = capacity.Batch, n = capacity.ImageTokens, l = capacity.TextTokens, d = width, rows = Math.Max(n, l);
        Patches = backend.Allocate(b * n * patchFeatures);
        X = backend.Allocate(b * n * d);
        NormX = backend.Allocate(b * n * d);
        NormX2 = backend.Allocate(b * n * d);
        Q = backend.Allocate(b * n * d);
        K = backend.Allocate(b * n * d);
        V = backend.Allocate(b * n * d);
        AttnImage = backend.Allocate(b * n * d);
        Context = backend.Allocate(b * l * d);
        NormContext = backend.Allocate(b * l * d);
        ContextQ = backend.Allocate(b * l * d);
        ContextK = backend.Allocate(b * l * d);
        ContextV = backend.Allocate(b * l * d);
        AttnContext = backend.Allocate(b * l * d);
        Projected = backend.Allocate(b * rows * d);
        FeedForwardHidden = backend.Allocate(b * rows * 4 * d);
        OutTokens = backend.Allocate(b * n * outFeatures);
        TimestepProj = backend.Allocate(b * Sd3Transformer.TimestepFeatures);
        Hidden = backend.Allocate(b * d);
        TimestepEmb = backend.Allocate(b * d);
        PooledEmb = backend.Allocate(b * d);
        Temb = backend.Allocate(b * d);
        TembSilu = backend.Allocate(b * d);
        Emb = backend.Allocate(b * 9 * d);
        EmbContext = backend.Allocate(b * 6 * d);
    }

    public TokenShape Capacity { get; }
    public Tensor Patches { get; }
    public Tensor X { get; }
    public Tensor NormX { get; }
    public Tensor NormX2 { get; }
    public Tensor Q { get; }
    public Tensor K { get; }
    public Tensor V { get; }
    public Tensor AttnImage { get; }
    public Tensor Context { get; }
    public Tensor NormContext { get; }
    public Tensor ContextQ { get; }
    public Tensor ContextK { get; }
    public Tensor ContextV { get; }
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
    public Tensor Emb { get; }
    public Tensor EmbContext { get; }
}
