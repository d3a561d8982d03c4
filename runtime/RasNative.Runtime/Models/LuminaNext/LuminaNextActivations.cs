using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

/// <summary>
/// The activation arena: every buffer one forward needs, sized once for the largest batch, image-token and
/// caption-token counts; a forward over fewer tokens takes leading views of the same storage.
/// </summary>
internal sealed class LuminaNextActivations : IActivationArena
{
    public LuminaNextActivations(ITensorAllocator backend, TokenShape capacity, LuminaNextConfig cfg)
    {
        Capacity = capacity;
        int b = capacity.Batch, n = capacity.ImageTokens, l = capacity.TextTokens, d = cfg.HiddenSize, p = cfg.PatchSize;
        int kv = cfg.KvHeads * cfg.HeadDim, e = LuminaNextTransformer.ConditioningWidth(cfg), inner = LuminaNextTransformer.FeedForwardInner(cfg);
        Patches = backend.Allocate(checked(b * n * cfg.InChannels * p * p));
        RopeRows = backend.Allocate(checked(n * cfg.HeadDim));
        X = backend.Allocate(checked(b * n * d));
        NormX = backend.Allocate(checked(b * n * d));
        Q = backend.Allocate(checked(b * n * d));
        K = backend.Allocate(checked(b * n * kv));
        V = backend.Allocate(checked(b * n * kv));
        SelfAttention = backend.Allocate(checked(b * n * d));
        CrossAttention = backend.Allocate(checked(b * n * d));
        Projected = backend.Allocate(checked(b * n * d));
        FeedForwardGate = backend.Allocate(checked(b * n * inner));
        FeedForwardUp = backend.Allocate(checked(b * n * inner));
        NormCaption = backend.Allocate(checked(b * l * cfg.CrossAttentionDim));
        CaptionK = backend.Allocate(checked(b * l * kv));
        CaptionV = backend.Allocate(checked(b * l * kv));
        OutTokens = backend.Allocate(checked(b * n * p * p * cfg.OutChannels));
        TimestepProj = backend.Allocate(checked(b * LuminaNextTransformer.TimestepFeatures));
        Hidden = backend.Allocate(checked(b * e));
        TimestepEmb = backend.Allocate(checked(b * e));
        CaptionPooled = backend.Allocate(checked(b * cfg.CrossAttentionDim));
        CaptionEmb = backend.Allocate(checked(b * e));
        Temb = backend.Allocate(checked(b * e));
        TembSilu = backend.Allocate(checked(b * e));
        Emb = backend.Allocate(checked(b * 4 * d));
        EmbTanh = backend.Allocate(checked(b * 4 * d));
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
