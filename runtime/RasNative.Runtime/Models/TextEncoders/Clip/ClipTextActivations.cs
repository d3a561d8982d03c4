using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.Clip;

/// <summary>Every buffer one CLIP text forward needs, planned for the largest batch and token count seen (GrowingArena).</summary>
internal sealed class ClipTextActivations
{
    public ClipTextActivations(ITensorAllocator backend, int batch, int tokens, int width, int intermediate, int embedWidth)
    {
        int rows = checked(batch * tokens);
        X = backend.Allocate(checked(rows * width));
        Norm = backend.Allocate(checked(rows * width));
        Qkv = backend.Allocate(checked(3 * rows * width));
        Attention = backend.Allocate(checked(rows * width));
        Projected = backend.Allocate(checked(rows * width));
        Hidden = backend.Allocate(checked(rows * intermediate));
        Selected = backend.Allocate(checked(rows * width));
        Mask = backend.Allocate(rows);
        Pooled = backend.Allocate(checked(batch * width));
        TextEmbeds = backend.Allocate(checked(batch * embedWidth));
    }

    public Tensor X { get; }
    public Tensor Norm { get; }
    /// <summary>q, k, v one after the other (the q/k/v_proj Linear of three parts).</summary>
    public Tensor Qkv { get; }
    public Tensor Attention { get; }
    public Tensor Projected { get; }
    public Tensor Hidden { get; }

    /// <summary>The hidden_states entry the caller asked for (SD3: the penultimate layer's output).</summary>
    public Tensor Selected { get; }

    public Tensor Mask { get; }
    public Tensor Pooled { get; }
    public Tensor TextEmbeds { get; }
}
