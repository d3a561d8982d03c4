using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.TextEncoders.T5;

/// <summary>Every buffer one T5 encoder forward needs, planned for the largest batch and token count seen (GrowingArena).</summary>
internal sealed class T5Activations
{
    public T5Activations(ITensorAllocator backend, int batch, int tokens, int width, int inner, int feedForward)
    {
        int rows = checked(batch * tokens);
        X = backend.Allocate(checked(rows * width));
        Norm = backend.Allocate(checked(rows * width));
        Qkv = backend.Allocate(checked(3 * rows * inner));
        Attention = backend.Allocate(checked(rows * inner));
        Projected = backend.Allocate(checked(rows * width));
        Gate = backend.Allocate(checked(rows * feedForward));
        Linear = backend.Allocate(checked(rows * feedForward));
        Mask = backend.Allocate(rows);
        Output = backend.Allocate(checked(rows * width));
    }

    public Tensor X { get; }
    public Tensor Norm { get; }
    /// <summary>q, k, v one after the other (the q/k/v Linear of three parts).</summary>
    public Tensor Qkv { get; }
    public Tensor Attention { get; }
    public Tensor Projected { get; }
    public Tensor Gate { get; }
    public Tensor Linear { get; }
    public Tensor Mask { get; }
    public Tensor Output { get; }
}
