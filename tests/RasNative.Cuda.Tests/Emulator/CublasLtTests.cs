using System.Text;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// cublasLtMatmul through the bindings against the double reference: column- and row-major layouts, strided
/// batches, the epilogues the GPU-speed work uses (bias, ReLU, GELU), fp8 with per-tensor scales in the layouts
/// cuBLASLt accepts, the heuristic and workspace contract, attribute plumbing and the documented status codes.
/// </summary>
[Collection(nameof(BlasCollection))]
public sealed unsafe class CublasLtTests : BlasTestBase
{
    IntPtr handle;

    IntPtr Lt => handle != IntPtr.Zero ? handle : handle = Host.CreateLt();

    public static TheoryData<bool, DataType, DataType, int> LayoutRows => new()
    {
        { false, DataType.R32F, DataType.R32F, Cublas.Compute32F },
        { true, DataType.R32F, DataType.R32F, Cublas.Compute32F },
        { false, DataType.R16BF, DataType.R16BF, Cublas.Compute32F },
        { true, DataType.R16F, DataType.R32F, Cublas.Compute32F },
        { true, DataType.R32F, DataType.R32F, Cublas.Compute32FFastTF32 },
        { false, DataType.R64F, DataType.R64F, Cublas.Compute64F },
    };

    [Theory]
    [MemberData(nameof(LayoutRows))]
    public void MatmulMatchesTheReferenceForOrdersTransposesAndBatches(bool rowMajor, DataType ab, DataType cd, int compute)
    {
        const int m = 11, n = 6, k = 9, batch = 2;
        bool f64 = compute == Cublas.Compute64F;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var a = Matrix(ab, ta ? k : m, ta ? m : k, ld: (rowMajor ? (ta ? m : k) : (ta ? k : m)) + 2, rowMajor: rowMajor, batch: batch);
                var b = Matrix(ab, tb ? n : k, tb ? k : n, rowMajor: rowMajor, batch: batch, batchGap: 1);
                var c = Matrix(cd, m, n, ld: (rowMajor ? n : m) + 1, rowMajor: rowMajor, batch: batch);
                bool inPlace = ta == tb; // C == D on half the cases
                var d = inPlace ? c : Matrix(cd, m, n, rowMajor: rowMajor, batch: batch, batchGap: 4);
                using var op = new LtMatmul(compute, f64 ? DataType.R64F : DataType.R32F);
                CublasLt.Check(op.Set(CublasLt.DescTransA, ta ? Cublas.OpT : Cublas.OpN));
                CublasLt.Check(op.Set(CublasLt.DescTransB, tb ? Cublas.OpT : Cublas.OpN));
                var spec = new GemmSpec
                {
                    TransA = ta, TransB = tb, Alpha = -0.5, Beta = 0.25, Accumulate64 = f64,
                    RoundInput = compute == Cublas.Compute32FFastTF32 ? BlasFormats.RoundToTf32 : x => x,
                };
                CublasLt.Check(op.Run(Lt, a, b, c, d, spec.Alpha, spec.Beta, doubleScale: f64));
                GemmReference.Check(spec, a, b, c, d, $"{(rowMajor ? "row" : "column")}-major {ab}→{cd} {(ta ? 'T' : 'N')}{(tb ? 'T' : 'N')}{(inPlace ? " in place" : "")}");
            }
    }

    public static TheoryData<int, EpilogueActivation, bool> Epilogues => new()
    {
        { CublasLt.EpilogueDefault, EpilogueActivation.None, false },
        { CublasLt.EpilogueRelu, EpilogueActivation.Relu, false },
        { CublasLt.EpilogueBias, EpilogueActivation.None, true },
        { CublasLt.EpilogueReluBias, EpilogueActivation.Relu, true },
        { CublasLt.EpilogueGelu, EpilogueActivation.Gelu, false },
        { CublasLt.EpilogueGeluBias, EpilogueActivation.Gelu, true },
    };

    /// <summary>D = act(alpha·AB + beta·C + bias), the bias one value per row of D (per output feature), per batch.</summary>
    [Theory]
    [MemberData(nameof(Epilogues))]
    public void EpiloguesAddTheBiasThenApplyTheActivation(int epilogue, EpilogueActivation activation, bool hasBias)
    {
        const int m = 24, n = 10, k = 33, batch = 2;
        var a = Matrix(DataType.R16BF, k, m, batch: batch);
        var b = Matrix(DataType.R16BF, k, n, batch: batch);
        var c = Matrix(DataType.R16BF, m, n, batch: batch);
        var d = Matrix(DataType.R16BF, m, n, batch: batch);
        var bias = Vector(DataType.R16BF, RandomValues(m * batch, amplitude: 2));
        using var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescTransA, Cublas.OpT));
        CublasLt.Check(op.Set(CublasLt.DescEpilogue, epilogue));
        if (hasBias)
        {
            CublasLt.Check(op.SetPointer(CublasLt.DescBiasPointer, bias.Address));
            CublasLt.Check(op.Set(CublasLt.DescBiasBatchStride, (long)m));
        }
        var spec = new GemmSpec { TransA = true, Alpha = 1.5, Beta = 0.5, Activation = activation, Bias = hasBias ? bias : null, BiasBatchStride = m };
        CublasLt.Check(op.Run(Lt, a, b, c, d, spec.Alpha, spec.Beta));
        GemmReference.Check(spec, a, b, c, d, $"epilogue {epilogue}");
    }

    public static TheoryData<DataType, DataType, DataType, DataType, int, double> Fp8Rows => new()
    {
        { DataType.E4M3, DataType.E4M3, DataType.R16BF, DataType.R16BF, CublasLt.EpilogueDefault, 1 },
        { DataType.E4M3, DataType.E4M3, DataType.R16BF, DataType.R16BF, CublasLt.EpilogueGeluBias, 1 },
        { DataType.E4M3, DataType.E5M2, DataType.R32F, DataType.R32F, CublasLt.EpilogueBias, 1 },
        { DataType.E5M2, DataType.E4M3, DataType.R16F, DataType.R16F, CublasLt.EpilogueRelu, 1 },
        { DataType.E4M3, DataType.E4M3, DataType.R16BF, DataType.E4M3, CublasLt.EpilogueDefault, 4 },
        { DataType.E4M3, DataType.E5M2, DataType.R16F, DataType.E5M2, CublasLt.EpilogueBias, 4 },
        { DataType.E4M3, DataType.E4M3, DataType.R16BF, DataType.E4M3, CublasLt.EpilogueDefault, 300 }, // saturates at ±448
    };

    /// <summary>
    /// fp8 in the "TN" layout with per-tensor scales: D = scaleD · act(alpha·scaleA·scaleB·AB + beta·scaleC·C + bias),
    /// the bias bf16 for an fp32 D and of C's type for an fp8 D, amax(D) before the D scale; fp8 results saturate.
    /// </summary>
    [Theory]
    [MemberData(nameof(Fp8Rows))]
    public void Fp8MatmulAppliesThePerTensorScales(DataType aType, DataType bType, DataType cType, DataType dType, int epilogue, double dScale)
    {
        const int m = 32, n = 24, k = 48;
        bool fp8Out = BlasFormats.IsFp8(dType);
        var a = Matrix(aType, k, m);
        var b = Matrix(bType, k, n);
        var c = Matrix(cType, m, n);
        var d = Matrix(dType, m, n);
        var biasType = dType == DataType.R32F ? DataType.R16BF : cType;
        var bias = Vector(biasType, RandomValues(m));
        var scaleA = Vector(DataType.R32F, 0.25);
        var scaleB = Vector(DataType.R32F, 3);
        var scaleC = Vector(DataType.R32F, 2);
        var scaleD = Vector(DataType.R32F, dScale);
        var amax = Vector(DataType.R32F, -1);
        using var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescTransA, Cublas.OpT));
        CublasLt.Check(op.Set(CublasLt.DescEpilogue, epilogue));
        CublasLt.Check(op.SetPointer(CublasLt.DescAScalePointer, scaleA.Address));
        CublasLt.Check(op.SetPointer(CublasLt.DescBScalePointer, scaleB.Address));
        CublasLt.Check(op.SetPointer(CublasLt.DescCScalePointer, scaleC.Address));
        bool hasBias = epilogue is CublasLt.EpilogueBias or CublasLt.EpilogueGeluBias;
        if (hasBias)
        {
            CublasLt.Check(op.SetPointer(CublasLt.DescBiasPointer, bias.Address));
            CublasLt.Check(op.Set(CublasLt.DescBiasDataType, (int)biasType));
        }
        if (fp8Out)
        {
            CublasLt.Check(op.SetPointer(CublasLt.DescDScalePointer, scaleD.Address));
            CublasLt.Check(op.SetPointer(CublasLt.DescAmaxDPointer, amax.Address));
        }
        var spec = new GemmSpec
        {
            TransA = true, Alpha = 0.75, Beta = 0.5, ScaleA = 0.25, ScaleB = 3, ScaleC = 2, ScaleD = fp8Out ? dScale : 1,
            Bias = hasBias ? bias : null,
            Activation = epilogue switch
            {
                CublasLt.EpilogueGeluBias => EpilogueActivation.Gelu,
                CublasLt.EpilogueRelu => EpilogueActivation.Relu,
                _ => EpilogueActivation.None,
            },
        };
        CublasLt.Check(op.Run(Lt, a, b, c, d, spec.Alpha, spec.Beta));
        GemmReference.Check(spec, a, b, c, d, $"{aType}×{bType}→{cType}/{dType}");
        if (fp8Out)
        {
            var (want, bound) = GemmReference.Amax(spec, a, b, c, d);
            Assert.InRange(amax.Download()[0], want - bound, want + bound);
        }
    }

    /// <summary>The fp8 kernels read A and B along k: with row-major layouts that is A not transposed and B transposed.</summary>
    [Fact]
    public void Fp8AcceptsRowMajorLayoutsReadAlongK()
    {
        const int m = 16, n = 8, k = 32;
        var a = Matrix(DataType.E4M3, m, k, rowMajor: true);
        var b = Matrix(DataType.E4M3, n, k, rowMajor: true);
        var c = Matrix(DataType.R16BF, m, n, rowMajor: true);
        using var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescTransB, Cublas.OpT));
        var spec = new GemmSpec { TransB = true, Alpha = 1, Beta = 0 };
        CublasLt.Check(op.Run(Lt, a, b, c, c, spec.Alpha, spec.Beta));
        GemmReference.Check(spec, a, b, c, c, "row-major fp8");
    }

    public static TheoryData<string, int> Fp8Rejections => new()
    {
        { "A not transposed", Cublas.StatusNotSupported },
        { "B transposed", Cublas.StatusNotSupported },
        { "E5M2 × E5M2", Cublas.StatusNotSupported },
        { "k not a multiple of 16", Cublas.StatusNotSupported },
        { "FAST_TF32 compute", Cublas.StatusNotSupported },
        { "fp8 D with fp32 C", Cublas.StatusNotSupported },
        { "fp32 bias for a bf16 D", Cublas.StatusNotSupported },
        { "D scale with a bf16 D", Cublas.StatusInvalidValue },
        { "A scale on a bf16 matmul", Cublas.StatusInvalidValue },
    };

    [Theory]
    [MemberData(nameof(Fp8Rejections))]
    public void Fp8RejectsWhatCublasLtRejects(string what, int status)
    {
        int k = what == "k not a multiple of 16" ? 40 : 32;
        var aType = what == "E5M2 × E5M2" ? DataType.E5M2 : what == "A scale on a bf16 matmul" ? DataType.R16BF : DataType.E4M3;
        var bType = what == "E5M2 × E5M2" ? DataType.E5M2 : aType == DataType.R16BF ? DataType.R16BF : DataType.E4M3;
        bool ta = what != "A not transposed", tb = what == "B transposed";
        var a = Matrix(aType, ta ? k : 16, ta ? 16 : k);
        var b = Matrix(bType, tb ? 16 : k, tb ? k : 16);
        var c = Matrix(what == "fp8 D with fp32 C" ? DataType.R32F : DataType.R16BF, 16, 16);
        var d = Matrix(what == "fp8 D with fp32 C" ? DataType.E4M3 : DataType.R16BF, 16, 16);
        var scale = Vector(DataType.R32F, 1);
        var bias = Vector(DataType.R32F, RandomValues(16));
        using var op = new LtMatmul(what == "FAST_TF32 compute" ? Cublas.Compute32FFastTF32 : Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescTransA, ta ? Cublas.OpT : Cublas.OpN));
        CublasLt.Check(op.Set(CublasLt.DescTransB, tb ? Cublas.OpT : Cublas.OpN));
        if (what == "D scale with a bf16 D") CublasLt.Check(op.SetPointer(CublasLt.DescDScalePointer, scale.Address));
        if (what == "A scale on a bf16 matmul") CublasLt.Check(op.SetPointer(CublasLt.DescAScalePointer, scale.Address));
        if (what == "fp32 bias for a bf16 D")
        {
            CublasLt.Check(op.Set(CublasLt.DescEpilogue, CublasLt.EpilogueBias));
            CublasLt.Check(op.SetPointer(CublasLt.DescBiasPointer, bias.Address));
            CublasLt.Check(op.Set(CublasLt.DescBiasDataType, (int)DataType.R32F));
        }
        Assert.Equal(status, op.Run(Lt, a, b, c, d, 1, 0));
        Assert.Equal(0, Host.Synchronize());
        Assert.Equal(d.Values, d.Download());
    }

    public static TheoryData<string, int> Rejections => new()
    {
        { "D rows differ from op(A) rows", Cublas.StatusInvalidValue },
        { "B rows differ from k", Cublas.StatusInvalidValue },
        { "ld below rows", Cublas.StatusInvalidValue },
        { "row-major ld below cols", Cublas.StatusInvalidValue },
        { "batch counts differ", Cublas.StatusInvalidValue },
        { "bias epilogue without a bias pointer", Cublas.StatusInvalidValue },
        { "in place with another ld", Cublas.StatusInvalidValue },
        { "GELU_AUX epilogue", Cublas.StatusNotSupported },
        { "bf16 inputs with an fp16 output", Cublas.StatusNotSupported },
        { "C and D types differ", Cublas.StatusNotSupported },
        { "64F scale type with 32F compute", Cublas.StatusNotSupported },
        { "NULL handle", Cublas.StatusNotInitialized },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void MatmulRejectsWhatCublasLtRejects(string what, int status)
    {
        var a = Matrix(DataType.R16BF, 8, 8, ld: 10);
        var b = Matrix(DataType.R16BF, 8, 8);
        var c = Matrix(what switch { "C and D types differ" => DataType.R32F, "bf16 inputs with an fp16 output" => DataType.R16F, _ => DataType.R16BF }, 8, 8);
        var d = Matrix(what == "bf16 inputs with an fp16 output" ? DataType.R16F : DataType.R16BF, 8, 8);
        var rowMajor = Matrix(DataType.R16BF, 8, 8, rowMajor: true);
        using var op = new LtMatmul(Cublas.Compute32F, what == "64F scale type with 32F compute" ? DataType.R64F : DataType.R32F);
        if (what == "bias epilogue without a bias pointer") CublasLt.Check(op.Set(CublasLt.DescEpilogue, CublasLt.EpilogueGeluBias));
        if (what == "GELU_AUX epilogue") CublasLt.Check(op.Set(CublasLt.DescEpilogue, 160));
        IntPtr target = what == "NULL handle" ? IntPtr.Zero : Lt;
        int result = what switch
        {
            "D rows differ from op(A) rows" => op.Run(target, a, b, c, d, 1, 0, dLayout: op.Layout(d, rows: 7), cLayout: op.Layout(c, rows: 7)),
            "B rows differ from k" => op.Run(target, a, b, c, d, 1, 0, bLayout: op.Layout(b, rows: 7)),
            "ld below rows" => op.Run(target, a, b, c, d, 1, 0, aLayout: op.Layout(a, ld: 7)),
            "row-major ld below cols" => op.Run(target, a, rowMajor, c, d, 1, 0, bLayout: op.Layout(rowMajor, ld: 7)),
            "batch counts differ" => op.Run(target, a, b, c, d, 1, 0, bLayout: op.Layout(b, batch: 2)),
            "in place with another ld" => op.Run(target, a, b, d, d, 1, 0, cLayout: op.Layout(d, ld: 9)),
            _ => op.Run(target, a, b, c, d, 1, 0),
        };
        Assert.Equal(status, result);
        Assert.Equal(0, Host.Synchronize());
        Assert.Equal(d.Values, d.Download());
    }

    [Fact]
    public void HeuristicReturnsAnAlgorithmWithinTheWorkspaceLimit()
    {
        const ulong limit = 64 << 10;
        var a = Matrix(DataType.R16BF, 40, 24);
        var b = Matrix(DataType.R16BF, 40, 16);
        var c = Matrix(DataType.R16BF, 24, 16);
        var workspace = Matrix(DataType.E4M3, (long)limit, 1, fill: 0);
        using var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescTransA, Cublas.OpT));
        IntPtr la = op.Layout(a), lb = op.Layout(b), lc = op.Layout(c);
        CublasLt.Check(CublasLt.cublasLtMatmulPreferenceCreate(out var preference));
        try
        {
            ulong max = limit;
            CublasLt.Check(CublasLt.cublasLtMatmulPreferenceSetAttribute(preference, CublasLt.PreferenceMaxWorkspaceBytes, &max, sizeof(ulong)));
            Assert.Equal(Cublas.StatusInvalidValue, CublasLt.cublasLtMatmulPreferenceSetAttribute(preference, CublasLt.PreferenceMaxWorkspaceBytes, &max, sizeof(uint)));
            var results = new byte[4 * CublasLt.HeuristicResultBytes];
            fixed (byte* r = results)
            {
                Assert.Equal(Cublas.StatusInvalidValue, CublasLt.cublasLtMatmulAlgoGetHeuristic(Lt, op.Desc, la, lb, lc, lc, preference, 0, r, out _));
                CublasLt.Check(CublasLt.cublasLtMatmulAlgoGetHeuristic(Lt, op.Desc, la, lb, lc, lc, preference, 4, r, out int returned));
                Assert.InRange(returned, 1, 4);
                ulong needed = *(ulong*)(r + 64);
                Assert.Equal(Cublas.StatusSuccess, *(int*)(r + 72));
                Assert.True(needed <= limit, $"the algorithm asks for {needed} bytes of workspace, over the {limit} allowed");
                if (Host.IsEmulator) Assert.Equal("RASEMUGE", Encoding.ASCII.GetString(results, 0, 8));

                var spec = new GemmSpec { TransA = true, Alpha = 1, Beta = 0.5 };
                CublasLt.Check(op.Run(Lt, a, b, c, c, spec.Alpha, spec.Beta, la, lb, lc, lc, r, workspace.Address, (nuint)limit));
                GemmReference.Check(spec, a, b, c, c, "heuristic algorithm");
                if (needed > 0)
                    Assert.Equal(Cublas.StatusInvalidValue, op.Run(Lt, a, b, c, c, 1, 0, la, lb, lc, lc, r, workspace.Address, (nuint)needed - 1));
            }
        }
        finally
        {
            CublasLt.cublasLtMatmulPreferenceDestroy(preference);
        }
    }

    /// <summary>
    /// The heuristic is told how aligned the pointers are (MIN_ALIGNMENT_*_BYTES, default 256): an algorithm chosen for
    /// aligned operands may use 16-byte accesses, so the emulator refuses to run it on a less aligned pointer
    /// (INVALID_VALUE), while one chosen for that alignment runs. A bias epilogue needs 16-byte aligned bias vectors
    /// (a conservative rule of the emulator: NOT_SUPPORTED).
    /// </summary>
    [Fact]
    public void AnAlgorithmRunsOnPointersAsAlignedAsTheHeuristicWasTold()
    {
        const int m = 8, n = 5, k = 12;
        var a = Matrix(DataType.R32F, k, m);
        var b = Matrix(DataType.R32F, k, n);
        var d = Matrix(DataType.R32F, m, n + 1); // room for the [m × n] view 4 bytes in
        var bias = Vector(DataType.R32F, RandomValues(m + 1));
        using var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescTransA, Cublas.OpT));
        IntPtr la = op.Layout(a), lb = op.Layout(b), ld = op.Layout(d, cols: n);
        ulong shifted = d.Address + 4;
        var results = new byte[CublasLt.HeuristicResultBytes];
        int Run(ulong output)
        {
            float alpha = 1, beta = 0;
            fixed (byte* algo = results)
                return CublasLt.cublasLtMatmul(Lt, op.Desc, &alpha, a.Address, la, b.Address, lb, &beta, output, ld, output, ld, algo, 0, 0, IntPtr.Zero);
        }
        fixed (byte* r = results)
        {
            Heuristic(op, la, lb, ld, alignmentD: null, r);
            if (Host.IsEmulator) Assert.Equal(Cublas.StatusInvalidValue, Run(shifted));
            CublasLt.Check(Run(d.Address));
            Heuristic(op, la, lb, ld, alignmentD: 4, r);
            CublasLt.Check(Run(shifted));
            Assert.Equal(0, Host.Synchronize());
            var expected = new double[m * n];
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++)
                    for (int p = 0; p < k; p++) expected[j * m + i] += a.Values[i * k + p] * b.Values[j * k + p];
            var actual = d.Download().Skip(1).Take(m * n).ToArray();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);

            if (!Host.IsEmulator) return;
            CublasLt.Check(op.Set(CublasLt.DescEpilogue, CublasLt.EpilogueBias));
            CublasLt.Check(op.SetPointer(CublasLt.DescBiasPointer, bias.Address + 4));
            Assert.Equal(Cublas.StatusNotSupported, Run(d.Address));
            CublasLt.Check(op.SetPointer(CublasLt.DescBiasPointer, bias.Address));
            Heuristic(op, la, lb, ld, alignmentD: null, r);
            CublasLt.Check(Run(d.Address));
        }
    }

    void Heuristic(LtMatmul op, IntPtr la, IntPtr lb, IntPtr ld, uint? alignmentD, byte* result)
    {
        CublasLt.Check(CublasLt.cublasLtMatmulPreferenceCreate(out var preference));
        try
        {
            if (alignmentD is uint bytes) // C is D here, so both are that aligned
                foreach (int attribute in new[] { CublasLt.PreferenceMinAlignmentC, CublasLt.PreferenceMinAlignmentD })
                    CublasLt.Check(CublasLt.cublasLtMatmulPreferenceSetAttribute(preference, attribute, &bytes, sizeof(uint)));
            CublasLt.Check(CublasLt.cublasLtMatmulAlgoGetHeuristic(Lt, op.Desc, la, lb, ld, ld, preference, 1, result, out int returned));
            Assert.Equal(1, returned);
        }
        finally
        {
            CublasLt.cublasLtMatmulPreferenceDestroy(preference);
        }
    }

    [Fact]
    public void HeuristicFindsNothingForUnsupportedTypes()
    {
        var a = Matrix(DataType.R16F, 8, 8);
        var b = Matrix(DataType.R16BF, 8, 8);
        using var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(CublasLt.cublasLtMatmulPreferenceCreate(out var preference));
        var results = new byte[CublasLt.HeuristicResultBytes];
        fixed (byte* r = results)
            Assert.Equal(Cublas.StatusNotSupported, CublasLt.cublasLtMatmulAlgoGetHeuristic(Lt, op.Desc, op.Layout(a), op.Layout(b), op.Layout(b), op.Layout(b), preference, 1, r, out _));
        CublasLt.cublasLtMatmulPreferenceDestroy(preference);
    }

    [Fact]
    public void DescriptorAttributesAreSizeChecked()
    {
        RequireHost();
        using var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescTransA, Cublas.OpT));
        int value = -1;
        CublasLt.Check(CublasLt.cublasLtMatmulDescGetAttribute(op.Desc, CublasLt.DescTransA, &value, sizeof(int), out var written));
        Assert.Equal((Cublas.OpT, (nuint)sizeof(int)), (value, written));
        CublasLt.Check(CublasLt.cublasLtMatmulDescGetAttribute(op.Desc, CublasLt.DescBiasPointer, null, 0, out var needed));
        Assert.Equal((nuint)sizeof(ulong), needed);
        Assert.Equal(Cublas.StatusInvalidValue, op.Set(CublasLt.DescTransA, (long)Cublas.OpT));
        Assert.Equal(Cublas.StatusInvalidValue, op.Set(CublasLt.DescBiasPointer, 0));
        Assert.Equal(Cublas.StatusInvalidValue, op.Set(9, 0)); // 9 is no attribute
        Assert.Equal(Cublas.StatusInvalidValue, CublasLt.cublasLtMatmulDescSetAttribute(op.Desc, CublasLt.DescTransA, null, sizeof(int)));
    }

    protected override void ReleaseHandles()
    {
        if (handle != IntPtr.Zero) CublasLt.cublasLtDestroy(handle);
    }
}
