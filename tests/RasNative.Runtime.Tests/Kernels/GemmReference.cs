using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Runtime.Tests.Kernels;

/// <summary>Naive double-precision y = act(x·Wᵀ + b), with the error scale Σ_k |x_ik·w_jk| + |b_j| per output.</summary>
internal static class GemmReference
{
    public static (double[] Y, double[] Magnitude) Linear(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int m, int n, int k, GemmEpilogue epilogue)
    {
        var y = new double[m * n];
        var magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = bias.IsEmpty ? 0 : bias[j], scale = bias.IsEmpty ? 0 : Math.Abs(bias[j]);
                for (int p = 0; p < k; p++)
                {
                    double product = (double)x[i * k + p] * w[j * k + p];
                    sum += product;
                    scale += Math.Abs(product);
                }
                y[i * n + j] = Activate(sum, epilogue);
                magnitude[i * n + j] = scale;
            }
        }
        return (y, magnitude);
    }

    public static double Activate(double v, GemmEpilogue epilogue) => epilogue switch
    {
        GemmEpilogue.GeluTanh => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))),
        GemmEpilogue.Silu => v / (1 + Math.Exp(-v)),
        GemmEpilogue.Gelu => 0.5 * v * (1 + Erf(v / Math.Sqrt(2))),
        GemmEpilogue.QuickGelu => v / (1 + Math.Exp(-1.702 * v)),
        _ => v,
    };

    /// <summary>
    /// erf in double from its everywhere-convergent series of positive terms, erf(x) = 2/√π · e^(−x²) · Σ (2x²)ⁿ·x / (1·3·…·(2n+1)),
    /// accurate to a few ulp for |x| ≤ 6 (beyond, erf is ±1 in double).
    /// </summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a > 6) return Math.Sign(x);
        double term = a, sum = a;
        for (int n = 1; term > 1e-17 * sum; n++)
        {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * Math.Exp(-a * a) * sum;
    }
}
