using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.T5;

/// <summary>Every buffer one T5 encoder forward needs, planned once for the largest batch and token count seen.</summary>
internal sealed class T5Activations
{
    public T5Activations(ITensorAllocator backend, int batch, int tokens, int width, int inner, int feedForward)
    {
        (Batch, Tokens) = (batch, tokens);
        int rows = checked(batch * tokens);
        X = backend.Allocate(checked(rows * width));
        Norm = backend.Allocate(checked(rows * width));
        Q = backend.Allocate(checked(rows * inner));
        K = backend.Allocate(checked(rows * inner));
        V = backend.Allocate(checked(rows * inner));
        Attention = backend.Allocate(checked(rows * inner));
        Projected = backend.Allocate(checked(rows * width));
        Gate = backend.Allocate(checked(rows * feedForward));
        Linear = backend.Allocate(checked(rows * feedForward));
        Mask = backend.Allocate(rows);
        Output = backend.Allocate(checked(rows * width));
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
    public Tensor Gate { get; }
    public Tensor Linear { get; }
    public Tensor Mask { get; }
    public Tensor Output { get; }

    public bool Fits(int batch, int tokens) => batch <= Batch && tokens <= Tokens;
}
