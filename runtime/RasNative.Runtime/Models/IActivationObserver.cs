using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// Receives named intermediate activations during a forward (the names of diffusers' module outputs as the
/// fixtures record them), so a person porting a model can diff any layer. Null in normal runs.
/// </summary>
public interface IActivationObserver
{
    void Observe(string name, Tensor value);

    /// <summary>
    /// An attention operand given as up to two token segments [B, T, heads·headDim], recorded as diffusers
    /// sees it: heads split and segments concatenated, [B, heads, T1+T2, headDim].
    /// </summary>
    void ObserveHeads(string name, Tensor first, Tensor? second, int heads, int headDim);
}
