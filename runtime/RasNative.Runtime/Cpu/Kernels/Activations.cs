using System.Runtime.CompilerServices;

namespace RasNative.Runtime.Cpu.Kernels;

internal static class Activations
{
    // √(2/π), doubled because 0.5·(1 + tanh(z)) = sigmoid(2z).
    const float GeluScale = 2f * 0.7978845608028654f;
    const float QuickGeluScale = 1.702f;
    const float Sqrt1Over2 = 0.70710678118654752f;

    /// <summary>
    /// SiLU, tanh-GELU and quick-GELU are all v·sigmoid(t) — t = v, 2·√(2/π)·(v + 0.044715·v³), 1.702·v — so one exp
    /// and one divide serve them; where exp(−t) saturates (t &lt; −88) the quotient is the limit 0 to within 10⁻³⁶.
    /// Exact GELU is v·½ · (1 + erf(v/√2)), evaluated in that order as PyTorch's CPU kernel does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TS, TV>(TV v, GemmEpilogue activation)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        if (activation == GemmEpilogue.Gelu)
            return TS.Multiply(TS.Multiply(v, TS.Create(0.5f)), TS.Add(TS.Create(1f), Erf<TS, TV>(TS.Multiply(v, TS.Create(Sqrt1Over2)))));
        TV t = activation switch
        {
            GemmEpilogue.Silu => v,
            GemmEpilogue.QuickGelu => TS.Multiply(TS.Create(QuickGeluScale), v),
            _ => TS.Multiply(TS.Create(GeluScale), TS.MultiplyAdd(TS.Multiply(TS.Create(0.044715f), TS.Multiply(v, v)), v, v)),
        };
        return TS.Divide(v, TS.Add(TS.Create(1f), FastMath.Exp<TS, TV>(TS.Subtract(TS.Zero, t))));
    }

    /// <summary>
    /// erf(x) by Abramowitz &amp; Stegun 7.1.26, the formula PyTorch's vectorised CPU erf uses (so GELU matches the
    /// reference's own rounding as closely as possible): erf(|x|) = 1 − t·(p1 + t·(p2 + t·(p3 + t·(p4 + t·p5))))·e^(−x²),
    /// t = 1 / (1 + p·|x|), sign restored; absolute error below 1.5·10⁻⁷, which GELU scales by ½·|v|.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Erf<TS, TV>(TV x)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        TV magnitude = TS.Abs(x);
        TV t = TS.Divide(TS.Create(1f), TS.MultiplyAdd(TS.Create(0.3275911f), magnitude, TS.Create(1f)));
        TV r = TS.MultiplyAdd(TS.Create(1.061405429f), t, TS.Create(-1.453152027f));
        r = TS.MultiplyAdd(r, t, TS.Create(1.421413741f));
        r = TS.MultiplyAdd(r, t, TS.Create(-0.284496736f));
        r = TS.MultiplyAdd(r, t, TS.Create(0.254829592f));
        TV decay = FastMath.Exp<TS, TV>(TS.Subtract(TS.Zero, TS.Multiply(x, x)));
        TV value = TS.MultiplyAdd(TS.Subtract(TS.Zero, TS.Multiply(decay, t)), r, TS.Create(1f));
        return TS.CopySign(value, x);
    }
}
