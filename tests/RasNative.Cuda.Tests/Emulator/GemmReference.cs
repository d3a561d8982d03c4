using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

public enum EpilogueActivation
{
    None,
    Relu,
    Gelu,
}

/// <summary>What a GEMM call computes, in the BLAS libraries' column-major terms (D = C for cuBLAS).</summary>
public sealed record GemmSpec
{
    public bool TransA { get; init; }
    public bool TransB { get; init; }
    public double Alpha { get; init; } = 1;
    public double Beta { get; init; }

    /// <summary>What the compute type does to inputs before multiplying (TF32/bf16/fp16 rounding), else identity.</summary>
    public Func<double, double> RoundInput { get; init; } = x => x;

    /// <summary>CUBLAS_COMPUTE_64F: the library accumulates in double.</summary>
    public bool Accumulate64 { get; init; }

    public EpilogueActivation Activation { get; init; }
    public DeviceMatrix? Bias { get; init; }
    public long BiasBatchStride { get; init; }
    public double ScaleA { get; init; } = 1;
    public double ScaleB { get; init; } = 1;
    public double ScaleC { get; init; } = 1;
    public double ScaleD { get; init; } = 1;
}

/// <summary>
/// The naive double-precision reference: D = scaleD · act(alpha·scaleA·scaleB·Σ op(A)·op(B) + beta·scaleC·C + bias),
/// per element, with a bound for a float accumulation in any order plus one rounding into D's type.
/// </summary>
public static class GemmReference
{
    /// <summary>Downloads D and checks every element against the reference and every padding element unchanged.</summary>
    public static void Check(GemmSpec spec, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c, DeviceMatrix d, string label)
    {
        var got = d.Download();
        var mismatches = Mismatches(spec, a, b, c, d, got);
        if (mismatches.Count > 0) Assert.Fail($"{label}: {mismatches.Count} elements of D differ from the reference, first: {mismatches[0]}");
        for (long offset = 0; offset < got.Length; offset++)
            if (!d.IsElement(offset) && BitConverter.DoubleToInt64Bits(got[offset]) != BitConverter.DoubleToInt64Bits(d.Values[offset]))
                Assert.Fail($"{label}: padding element {offset} of D changed from {d.Values[offset]} to {got[offset]}");
    }

    /// <summary>The elements of <paramref name="got"/> (D's buffer) outside the reference's bound, described.</summary>
    public static List<string> Mismatches(GemmSpec spec, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c, DeviceMatrix d, double[] got)
    {
        var result = new List<string>();
        long k = spec.TransA ? a.Rows : a.Cols;
        for (int batch = 0; batch < d.Batch; batch++)
            for (long j = 0; j < d.Cols; j++)
                for (long i = 0; i < d.Rows; i++)
                {
                    var (want, bound) = Element(spec, a, b, c, d.Type, batch, i, j, k);
                    double actual = got[d.Offset(batch, i, j)];
                    bool ok = double.IsNaN(want) ? double.IsNaN(actual) : Math.Abs(actual - want) <= bound;
                    if (!ok) result.Add($"D[{batch}][{i},{j}] = {actual}, reference {want} ± {bound:g3}");
                }
        return result;
    }

    /// <summary>max |act(…)| over D before the D scale: what CUBLASLT_MATMUL_DESC_AMAX_D_POINTER receives.</summary>
    public static (double Value, double Bound) Amax(GemmSpec spec, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c, DeviceMatrix d)
    {
        double amax = 0, bound = 0;
        long k = spec.TransA ? a.Rows : a.Cols;
        var unscaled = spec with { ScaleD = 1 };
        for (int batch = 0; batch < d.Batch; batch++)
            for (long j = 0; j < d.Cols; j++)
                for (long i = 0; i < d.Rows; i++)
                {
                    var (value, error) = Element(unscaled, a, b, c, DataType.R64F, batch, i, j, k);
                    amax = Math.Max(amax, Math.Abs(value));
                    bound = Math.Max(bound, error);
                }
        return (amax, bound);
    }

    static (double Value, double Bound) Element(GemmSpec s, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c, DataType dType, int batch, long i, long j, long k)
    {
        double sum = 0, magnitude = 0;
        for (long p = 0; p < k; p++)
        {
            double x = s.RoundInput(s.TransA ? a[batch, p, i] : a[batch, i, p]);
            double y = s.RoundInput(s.TransB ? b[batch, j, p] : b[batch, p, j]);
            sum += x * y;
            magnitude += Math.Abs(x * y);
        }
        double alpha = s.Alpha * s.ScaleA * s.ScaleB;
        double value = alpha * sum, scale = Math.Abs(alpha) * magnitude;
        if (s.Beta != 0)
        {
            double cValue = s.Beta * s.ScaleC * c[batch, i, j];
            value += cValue;
            scale += Math.Abs(cValue);
        }
        if (s.Bias is { } bias)
        {
            double bValue = bias.Values[batch * s.BiasBatchStride + i];
            value += bValue;
            scale += Math.Abs(bValue);
        }
        value = s.Activation switch
        {
            EpilogueActivation.Relu => Math.Max(value, 0),
            EpilogueActivation.Gelu => 0.5 * value * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (value + 0.044715 * value * value * value))),
            _ => value,
        };
        value *= s.ScaleD;
        scale *= Math.Abs(s.ScaleD) * (s.Activation == EpilogueActivation.Gelu ? 1.2 : 1);

        // Accumulation and epilogue in float (double for 64F) in some order, then one rounding into D's type.
        double computeError = (k + 10) * (s.Accumulate64 ? Math.ScaleB(1, -53) : Math.ScaleB(1, -24)) * scale;
        if (dType == DataType.E4M3) value = Math.Clamp(value, -448, 448); // fp8 results saturate
        if (dType == DataType.E5M2) value = Math.Clamp(value, -57344, 57344);
        double ulp = BlasFormats.HalfUlp(dType);
        return (value, computeError * (1 + ulp) + ulp * Math.Abs(value) + BlasFormats.Tiny(dType));
    }
}
