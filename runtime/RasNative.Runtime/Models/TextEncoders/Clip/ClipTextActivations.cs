using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.Clip;

/// <summary>Every buffer one CLIP text forward needs, planned once for the largest batch and token count seen.</summary>
internal sealed class ClipTextActivations
{
    public ClipTextActivations(ITensorAllocator backend, int batch, int tokens, int width, int intermediate, int embedWidth)
    {
        (Batch, Tokens) = (batch, tokens);
        int rows = checked(batch * tokens);
        X = backend.Allocate(checked(rows * width));
        Norm = backend.Allocate(checked(rows * width));
        Q = backend.Allocate(checked(rows * width));
        K = backend.Allocate(checked(rows * width));
        V = backend.Allocate(checked(rows * width));
        Attention = backend.Allocate(checked(rows * width));
        Projected = backend.Allocate(checked(rows * width));
        Hidden = backend.Allocate(checked(rows * intermediate));
        Selected = backend.Allocate(checked(rows * width));
        Mask = backend.Allocate(rows);
        Pooled = backend.Allocate(checked(batch * width));
        TextEmbeds = backend.Allocate(checked(batch * embedWidth));
    }

    public int Batch { get; }
    public int Tokens { get; }
    public Tensor X { get; }
    public Tensor Norm { get; }
    public Tensor Q { get; }
    public Tensor K { get; }
    public Tensor V { get; }
    public Tensor Attention { get; }
    public Tensor Projected { get; }
    public Tensor Hidden { get; }

    /// <summary>The hidden_states entry the caller asked for (SD3: the penultimate layer's output).</summary>
    public Tensor Selected { get; }

    public Tensor Mask { get; }
    public Tensor Pooled { get; }
    public Tensor TextEmbeds { get; }

    public bool Fits(int batch, int tokens) => batch <= Batch && tokens <= Tokens;
}
