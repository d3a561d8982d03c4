using System.Runtime.InteropServices;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// cublasGemmEx / cublasGemmStridedBatchedEx through the bindings, against the double reference: the
/// column-major contract (transposes, leading dimensions, batch strides), every (A/B, C, compute) type row the
/// backend may use, the reduced-precision compute types, BLAS's empty-product rules and the documented status
/// codes. On the emulator everywhere; on a GPU the same cases check NVIDIA's library.
/// </summary>
[Collection(nameof(BlasCollection))]
public sealed unsafe class CublasTests : BlasTestBase
{
    IntPtr handle;

    IntPtr Blas => handle != IntPtr.Zero ? handle : handle = Host.CreateBlas();

    public static TheoryData<DataType, DataType, int> TypeRows => new()
    {
        { DataType.R32F, DataType.R32F, Cublas.Compute32F },
        { DataType.R32F, DataType.R32F, Cublas.Compute32FPedantic },
        { DataType.R16F, DataType.R16F, Cublas.Compute32F },
        { DataType.R16F, DataType.R32F, Cublas.Compute32F },
        { DataType.R16BF, DataType.R16BF, Cublas.Compute32F },
        { DataType.R16BF, DataType.R32F, Cublas.Compute32F },
        { DataType.R64F, DataType.R64F, Cublas.Compute64F },
    };

    [Theory]
    [MemberData(nameof(TypeRows))]
    public void GemmExMatchesTheReferenceForEveryTranspose(DataType ab, DataType cType, int compute)
    {
        const int m = 13, n = 7, k = 19;
        foreach (int opA in new[] { Cublas.OpN, Cublas.OpT, Cublas.OpC })
            foreach (int opB in new[] { Cublas.OpN, Cublas.OpT, Cublas.OpC })
            {
                bool ta = opA != Cublas.OpN, tb = opB != Cublas.OpN;
                var a = Matrix(ab, ta ? k : m, ta ? m : k, ld: (ta ? k : m) + 3);
                var b = Matrix(ab, tb ? n : k, tb ? k : n, ld: (tb ? n : k) + 1);
                var c = Matrix(cType, m, n, ld: m + 2);
                var spec = new GemmSpec { TransA = ta, TransB = tb, Alpha = 0.75, Beta = 0.5, Accumulate64 = compute == Cublas.Compute64F };
                Cublas.Check(GemmEx(spec, opA, opB, a, b, c, compute));
                GemmReference.Check(spec, a, b, c, c, $"{ab}→{cType} compute {compute} op {opA}/{opB}");
            }
    }

    [Fact]
    public void StridedBatchesEachUseTheirOwnSlices()
    {
        const int m = 9, n = 11, k = 6, batch = 3;
        // A is shared by every batch (stride 0); B and C have gaps between batches.
        var a = Matrix(DataType.R16BF, k, m, ld: k + 2);
        var b = Matrix(DataType.R16BF, k, n, ld: k, batch: batch, batchGap: 5);
        var c = Matrix(DataType.R32F, m, n, ld: m + 1, batch: batch, batchGap: 7);
        var broadcastA = a.AsBatches(batch, stride: 0);
        var spec = new GemmSpec { TransA = true, Alpha = 1.5, Beta = -1 };
        float alpha = 1.5f, beta = -1;
        Cublas.Check(Cublas.cublasGemmStridedBatchedEx(Blas, Cublas.OpT, Cublas.OpN, m, n, k,
            &alpha, a.Address, (int)a.Type, (int)a.Ld, 0, b.Address, (int)b.Type, (int)b.Ld, b.BatchStride,
            &beta, c.Address, (int)c.Type, (int)c.Ld, c.BatchStride, batch, Cublas.Compute32F, Cublas.GemmDefault));
        GemmReference.Check(spec, broadcastA, b, c, c, "strided batches");
    }

    public static TheoryData<int, int, string> ReducedPrecision => new()
    {
        { Cublas.Compute32FFastTF32, Cublas.DefaultMath, "tf32" },
        { Cublas.Compute32FFast16BF, Cublas.DefaultMath, "bf16" },
        { Cublas.Compute32FFast16F, Cublas.DefaultMath, "fp16" },
        { Cublas.Compute32F, Cublas.Tf32TensorOpMath, "tf32" },
        { Cublas.Compute32F, Cublas.DefaultMath, "none" },
        { Cublas.Compute32FPedantic, Cublas.Tf32TensorOpMath, "none" },
    };

    /// <summary>fp32 inputs with full mantissas: the result matches the reference with the compute type's input
    /// rounding and (where it rounds) not the exact one, so a missing or extra rounding fails.</summary>
    [Theory]
    [MemberData(nameof(ReducedPrecision))]
    public void ComputeTypesRoundFp32InputsAsDocumented(int compute, int mathMode, string rounding)
    {
        Func<double, double> round = rounding switch
        {
            "tf32" => BlasFormats.RoundToTf32,
            "bf16" => BlasFormats.RoundToBf16,
            "fp16" => BlasFormats.RoundToHalf,
            _ => x => x,
        };
        Cublas.Check(Cublas.cublasSetMathMode(Blas, mathMode));
        const int m = 24, n = 20, k = 64;
        var a = Matrix(DataType.R32F, m, k);
        var b = Matrix(DataType.R32F, k, n);
        var c = Matrix(DataType.R32F, m, n);
        var spec = new GemmSpec { Alpha = 1, Beta = 0, RoundInput = round };
        Cublas.Check(GemmEx(spec, Cublas.OpN, Cublas.OpN, a, b, c, compute));
        GemmReference.Check(spec, a, b, c, c, $"compute {compute}, math mode {mathMode}");
        var exact = GemmReference.Mismatches(spec with { RoundInput = x => x }, a, b, c, c, c.Download());
        if (rounding == "none") Assert.Empty(exact);
        else Assert.NotEmpty(exact);
    }

    [Fact]
    public void EmptyProductsFollowBlas()
    {
        var a = Matrix(DataType.R32F, 5, 4);
        var b = Matrix(DataType.R32F, 4, 3);

        // m = 0 and n = 0: nothing is touched.
        var untouched = Matrix(DataType.R32F, 5, 3);
        Cublas.Check(GemmEx(new GemmSpec { Beta = 2 }, Cublas.OpN, Cublas.OpN, a, b, untouched, Cublas.Compute32F, m: 0));
        Cublas.Check(GemmEx(new GemmSpec { Beta = 2 }, Cublas.OpN, Cublas.OpN, a, b, untouched, Cublas.Compute32F, n: 0));
        Assert.Equal(untouched.Values, untouched.Download());

        // k = 0: C = beta·C.
        var scaled = Matrix(DataType.R32F, 5, 3);
        var emptyA = Matrix(DataType.R32F, 5, 0, ld: 5);
        var emptyB = Matrix(DataType.R32F, 0, 3, ld: 1);
        var spec = new GemmSpec { Alpha = 3, Beta = 0.5 };
        Cublas.Check(GemmEx(spec, Cublas.OpN, Cublas.OpN, emptyA, emptyB, scaled, Cublas.Compute32F));
        GemmReference.Check(spec, emptyA, emptyB, scaled, scaled, "k = 0");

        // beta = 0 does not read C and alpha = 0 does not read A or B: their NaNs do not reach D.
        var nanC = Matrix(DataType.R32F, 5, 3, fill: double.NaN);
        Cublas.Check(GemmEx(new GemmSpec(), Cublas.OpN, Cublas.OpN, a, b, nanC, Cublas.Compute32F));
        GemmReference.Check(new GemmSpec(), a, b, nanC, nanC, "beta = 0 with NaN in C");
        var nanA = Matrix(DataType.R32F, 5, 4, fill: double.NaN);
        var c = Matrix(DataType.R32F, 5, 3);
        var alphaZero = new GemmSpec { Alpha = 0, Beta = 1.25 };
        Cublas.Check(GemmEx(alphaZero, Cublas.OpN, Cublas.OpN, nanA, b, c, Cublas.Compute32F));
        GemmReference.Check(alphaZero, emptyA, emptyB, c, c, "alpha = 0 with NaN in A"); // the reference as k = 0: D = beta·C
    }

    public static TheoryData<string, int> Rejections => new()
    {
        { "m < 0", Cublas.StatusInvalidValue },
        { "k < 0", Cublas.StatusInvalidValue },
        { "transa 3", Cublas.StatusInvalidValue },
        { "lda < m (op N)", Cublas.StatusInvalidValue },
        { "lda < k (op T)", Cublas.StatusInvalidValue },
        { "ldb < k (op N)", Cublas.StatusInvalidValue },
        { "ldc < m", Cublas.StatusInvalidValue },
        { "ldc 0 with m 0", Cublas.StatusInvalidValue },
        { "batchCount < 0", Cublas.StatusInvalidValue },
        { "A and B types differ", Cublas.StatusNotSupported },
        { "fp8 inputs", Cublas.StatusNotSupported },
        { "bf16 inputs with fp16 C", Cublas.StatusNotSupported },
        { "fp16 inputs with FAST_TF32", Cublas.StatusNotSupported },
        { "fp32 inputs with 64F compute", Cublas.StatusNotSupported },
        { "NULL handle", Cublas.StatusNotInitialized },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void RejectsWhatCublasRejects(string what, int status)
    {
        var a = Matrix(DataType.R32F, 8, 8);
        var b = Matrix(DataType.R32F, 8, 8);
        var c = Matrix(DataType.R32F, 8, 8);
        var fp16 = Matrix(DataType.R16F, 8, 8);
        var bf16 = Matrix(DataType.R16BF, 8, 8);
        var e4m3 = Matrix(DataType.E4M3, 16, 16);
        IntPtr target = what == "NULL handle" ? IntPtr.Zero : Blas;
        int Call(int opA = Cublas.OpN, int m = 8, int n = 8, int k = 8, DeviceMatrix? x = null, DeviceMatrix? y = null, DeviceMatrix? z = null,
            int lda = 8, int ldb = 8, int ldc = 8, int batch = 1, int compute = Cublas.Compute32F)
        {
            x ??= a;
            y ??= b;
            z ??= c;
            float alpha = 1, beta = 0;
            return Cublas.cublasGemmStridedBatchedEx(target, opA, Cublas.OpN, m, n, k, &alpha, x.Address, (int)x.Type, lda, 64,
                y.Address, (int)y.Type, ldb, 64, &beta, z.Address, (int)z.Type, ldc, 64, batch, compute, Cublas.GemmDefault);
        }
        int result = what switch
        {
            "m < 0" => Call(m: -1),
            "k < 0" => Call(k: -1),
            "transa 3" => Call(opA: 3),
            "lda < m (op N)" => Call(lda: 7),
            "lda < k (op T)" => Call(opA: Cublas.OpT, m: 4, lda: 7),
            "ldb < k (op N)" => Call(ldb: 7),
            "ldc < m" => Call(ldc: 7),
            "ldc 0 with m 0" => Call(m: 0, lda: 1, ldc: 0),
            "batchCount < 0" => Call(batch: -1),
            "A and B types differ" => Call(x: fp16, y: bf16),
            "fp8 inputs" => Call(m: 16, n: 16, k: 16, x: e4m3, y: e4m3, lda: 16, ldb: 16, ldc: 16),
            "bf16 inputs with fp16 C" => Call(x: bf16, y: bf16, z: fp16),
            "fp16 inputs with FAST_TF32" => Call(x: fp16, y: fp16, z: c, compute: Cublas.Compute32FFastTF32),
            "fp32 inputs with 64F compute" => Call(compute: Cublas.Compute64F),
            _ => Call(),
        };
        Assert.Equal(status, result);
        Assert.Equal(0, Host.Synchronize()); // a rejected call queues nothing
    }

    [Fact]
    public void MathModesOutsideTheEnumAreRejected()
    {
        Assert.Equal(Cublas.StatusInvalidValue, Cublas.cublasSetMathMode(Blas, 7));
        Assert.Equal(Cublas.StatusSuccess, Cublas.cublasSetMathMode(Blas, Cublas.PedanticMath));
        Assert.Equal(Cublas.StatusNotInitialized, Cublas.cublasSetMathMode(IntPtr.Zero, Cublas.DefaultMath));
    }

    [Fact]
    public void StatusesHaveTheLibrarysNames()
    {
        RequireHost();
        Assert.Equal("CUBLAS_STATUS_SUCCESS", Marshal.PtrToStringUTF8(Cublas.cublasGetStatusName(Cublas.StatusSuccess)));
        Assert.Equal("CUBLAS_STATUS_INVALID_VALUE", Marshal.PtrToStringUTF8(Cublas.cublasGetStatusName(Cublas.StatusInvalidValue)));
        Assert.Equal("CUBLAS_STATUS_NOT_SUPPORTED", Marshal.PtrToStringUTF8(Cublas.cublasGetStatusName(Cublas.StatusNotSupported)));
        Assert.StartsWith("CUBLAS_STATUS_INVALID_VALUE: ", Cublas.Describe(Cublas.StatusInvalidValue));
    }

    int GemmEx(GemmSpec s, int opA, int opB, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c, int compute, int? m = null, int? n = null)
    {
        int rows = m ?? (int)c.Rows, cols = n ?? (int)c.Cols, k = (int)(s.TransA ? a.Rows : a.Cols);
        if (compute == Cublas.Compute64F)
        {
            double alpha = s.Alpha, beta = s.Beta;
            return Cublas.cublasGemmEx(Blas, opA, opB, rows, cols, k, (float*)&alpha, a.Address, (int)a.Type, (int)a.Ld,
                b.Address, (int)b.Type, (int)b.Ld, (float*)&beta, c.Address, (int)c.Type, (int)c.Ld, compute, Cublas.GemmDefault);
        }
        float alphaF = (float)s.Alpha, betaF = (float)s.Beta;
        return Cublas.cublasGemmEx(Blas, opA, opB, rows, cols, k, &alphaF, a.Address, (int)a.Type, (int)a.Ld,
            b.Address, (int)b.Type, (int)b.Ld, &betaF, c.Address, (int)c.Type, (int)c.Ld, compute, Cublas.GemmDefault);
    }

    protected override void ReleaseHandles()
    {
        if (handle != IntPtr.Zero) Cublas.cublasDestroy(handle);
    }
}
