using System.Runtime.CompilerServices;

namespace RasNative.Runtime.Cpu.Kernels;

internal static class Activations
{
    // √(2/π), doubled because 0.5·(1 + tanh(z)) = sigmoid(2z).
    const float GeluScale = 2f * 0.7978845608028654f;

    /// <summary>
    /// Both activations are v·sigmoid(t), SiLU with t = v and tanh-GELU with t = 2·√(2/π)·(v + 0.044715·v³), so
    /// one exp and one divide serve both; where exp(−t) saturates (t &lt; −88) the quotient is the limit 0 to within 10⁻³⁶.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TS, TV>(TV v, GemmEpilogue activation)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        TV t = activation == GemmEpilogue.Silu
            ? v
            : TS.Multiply(TS.Create(GeluScale), TS.MultiplyAdd(TS.Multiply(TS.Create(0.044715f), TS.Multiply(v, v)), v, v));
        return TS.Divide(v, TS.Add(TS.Create(1f), FastMath.Exp<TS, TV>(TS.Subtract(TS.Zero, t))));
    }
}
