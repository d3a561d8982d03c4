using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

/// <summary>
/// The activation arena: every buffer one forward needs, sized once for the largest batch, image-token and
/// text-token counts; a forward over fewer tokens takes leading views of the same storage.
/// </summary>
internal sealed class Sd3Activations : IActivationArena
{
    public Sd3Activations(ITensorAllocator backend, TokenShape capacity, int width, int patchFeatures, int outFeatures)
    {
        Capacity = capacity;
        int b = capacity.Batch, n = capacity.ImageTokens, l = capacity.TextTokens, d = width, rows = Math.Max(n, l);
        Patches = backend.Allocate(checked(b * n * patchFeatures));
        X = backend.Allocate(checked(b * n * d));
        NormX = backend.Allocate(checked(b * n * d));
        NormX2 = backend.Allocate(checked(b * n * d));
        Q = backend.Allocate(checked(b * n * d));
        K = backend.Allocate(checked(b * n * d));
        V = backend.Allocate(checked(b * n * d));
        AttnImage = backend.Allocate(checked(b * n * d));
        Context = backend.Allocate(checked(b * l * d));
        NormContext = backend.Allocate(checked(b * l * d));
        ContextQ = backend.Allocate(checked(b * l * d));
        ContextK = backend.Allocate(checked(b * l * d));
        ContextV = backend.Allocate(checked(b * l * d));
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
        Emb = backend.Allocate(checked(b * 9 * d));
        EmbContext = backend.Allocate(checked(b * 6 * d));
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
