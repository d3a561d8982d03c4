using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

/// <summary>
/// The activation arena: every buffer one forward needs, sized once for the largest batch, image-token and
/// caption-token counts; a forward over fewer tokens takes leading views of the same storage.
/// </summary>
internal sealed class LuminaNextActivations
{
    public LuminaNextActivations(IBackend backend, TokenShape capacity, LuminaNextConfig cfg)
    {
        Capacity = capacity;
        int b = capacity.Batch, n = capacity.ImageTokens, l = capacity.TextTokens, d = cfg.HiddenSize, p = cfg.PatchSize;
        int kv = cfg.KvHeads * cfg.HeadDim, e = LuminaNextTransformer.ConditioningWidth(cfg), inner = LuminaNextTransformer.FeedForwardInner(cfg);
        Patches = backend.Allocate(b * n * cfg.InChannels * p * p);
        RopeRows = backend.Allocate(n * cfg.HeadDim);
        X = backend.Allocate(b * n * d);
        NormX = backend.Allocate(b * n * d);
        Q = backend.Allocate(b * n * d);
        K = backend.Allocate(b * n * kv);
        V = backend.Allocate(b * n * kv);
        SelfAttention = backend.Allocate(b * n * d);
        CrossAttention = backend.Allocate(b * n * d);
        Projected = backend.Allocate(b * n * d);
        FeedForwardGate = backend.Allocate(b * n * inner);
        FeedForwardUp = backend.Allocate(b * n * inner);
        NormCaption = backend.Allocate(b * l * cfg.CrossAttentionDim);
        CaptionK = backend.Allocate(b * l * kv);
        CaptionV = backend.Allocate(b * l * kv);
        OutTokens = backend.Allocate(b * n * p * p * cfg.OutChannels);
        TimestepProj = backend.Allocate(b * LuminaNextTransformer.TimestepFeatures);
        Hidden = backend.Allocate(b * e);
        TimestepEmb = backend.Allocate(b * e);
        CaptionPooled = backend.Allocate(b * cfg.CrossAttentionDim);
        CaptionEmb = backend.Allocate(b * e);
        Temb = backend.Allocate(b * e);
        TembSilu = backend.Allocate(b * e);
        Emb = backend.Allocate(b * 4 * d);
        EmbTanh = backend.Allocate(b * 4 * d);
    }

    public TokenShape Capacity { get; }
    public Tensor Patches { get; }
    public Tensor RopeRows { get; }
    public Tensor X { get; }
    public Tensor NormX { get; }
    public Tensor Q { get; }
    public Tensor K { get; }
    public Tensor V { get; }
    public Tensor SelfAttention { get; }
    public Tensor CrossAttention { get; }
    public Tensor Projected { get; }
    public Tensor FeedForwardGate { get; }
    public Tensor FeedForwardUp { get; }
    public Tensor NormCaption { get; }
    public Tensor CaptionK { get; }
    public Tensor CaptionV { get; }
    public Tensor OutTokens { get; }
    public Tensor TimestepProj { get; }
    public Tensor Hidden { get; }
    public Tensor TimestepEmb { get; }
    public Tensor CaptionPooled { get; }
    public Tensor CaptionEmb { get; }
    public Tensor Temb { get; }
    public Tensor TembSilu { get; }
    public Tensor Emb { get; }
    public Tensor EmbTanh { get; }
}
