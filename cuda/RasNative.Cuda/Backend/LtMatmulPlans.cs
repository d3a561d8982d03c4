using System.Runtime.InteropServices;
using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>What one Linear GEMM is: its sizes, parts, epilogue and the alignment of its pointers (all of which select the algorithm).</summary>
/// <param name="Out">Output features of a part (m).</param>
/// <param name="Rows">Input rows (n).</param>
/// <param name="In">Input features (k).</param>
/// <param name="Parts">Weights of [Out, In] one after the other, each writing its own [Rows, Out] block of y (a strided batch).</param>
/// <param name="Epilogue">A cublasLtEpilogue_t: DEFAULT, BIAS, GELU or GELU_BIAS.</param>
internal readonly record struct LtMatmulShape(int Out, int Rows, int In, int Parts, int Epilogue, int WeightAlignment, int InputAlignment, int OutputAlignment);

/// <summary>
/// The Linears' cuBLASLt matmuls, in the column-major view cuBLASLt takes: yᵀ [out × rows] = W [in × out]ᵀ · xᵀ [in × rows],
/// so W is op T and x op N with no copies; a weight of parts is a strided batch (W stride out·in, x stride 0, y stride
/// rows·out, bias stride out). Each shape's descriptors and algorithm are made once (the heuristic asked once, told the
/// pointers' actual alignment, since an algorithm chosen for 16-byte aligned operands may not run on less) and reused;
/// the workspace is one fixed buffer, allocated with the first matmul. Compute type 32F (float accumulation, never TF32
/// for float32 data).
/// </summary>
internal sealed unsafe class LtMatmulPlans(CudaDevice device, CudaCalls calls, int dataType) : IDisposable
{
    /// <summary>CUDA_R_32F: the scale type (alpha, beta) of a 32F-compute matmul.</summary>
    const int ScaleType = 0;

    /// <summary>The workspace every algorithm may use (NVIDIA's recommendation for Hopper; split-K kernels need some).</summary>
    public const long WorkspaceBytes = 32L << 20;

    /// <summary>More shapes than one process's models produce; past it the cache starts over rather than growing without end.</summary>
    const int MaxPlans = 4096;

    readonly Dictionary<LtMatmulShape, Plan> plans = [];
    ulong workspace;

    /// <summary>Shapes planned so far: each asked the heuristic once.</summary>
    public int Count => plans.Count;

    /// <summary>The alignment cuBLASLt is told for a pointer: its largest power-of-two divisor, at most 256.</summary>
    public static int Alignment(ulong pointer) => pointer == 0 ? 256 : (int)Math.Min(256UL, pointer & (~pointer + 1));

    /// <summary>Queues y = epilogue(x·Wᵀ [+ bias]) for <paramref name="shape"/>; <paramref name="bias"/> is read only by a bias epilogue.</summary>
    public void Run(in LtMatmulShape shape, ulong weight, ulong x, ulong y, ulong bias)
    {
        if (workspace == 0) workspace = calls.Allocate(WorkspaceBytes);
        if (!plans.TryGetValue(shape, out var plan))
        {
            if (plans.Count >= MaxPlans) Clear();
            plan = Plan.Create(device, shape, dataType, bias);
            plans.Add(shape, plan);
        }
        if (HasBias(shape.Epilogue))
            CublasLt.Check(CublasLt.cublasLtMatmulDescSetAttribute(plan.Desc, CublasLt.DescBiasPointer, &bias, sizeof(ulong)));
        calls.LtMatmul(plan.Desc, weight, plan.A, x, plan.B, y, plan.D, plan.Algo, workspace, (nuint)WorkspaceBytes);
    }

    public static bool HasBias(int epilogue) => epilogue is CublasLt.EpilogueBias or CublasLt.EpilogueGeluBias;

    /// <summary>Frees the workspace (a synchronising cuMemFree) and the host-side descriptors.</summary>
    public void Dispose()
    {
        Clear();
        if (workspace != 0) calls.Free(workspace);
        workspace = 0;
    }

    void Clear()
    {
        foreach (var plan in plans.Values) plan.Destroy();
        plans.Clear();
    }

    sealed class Plan
    {
        public IntPtr Desc, A, B, D;
        public void* Algo;

        public static Plan Create(CudaDevice device, in LtMatmulShape s, int type, ulong bias)
        {
            var plan = new Plan();
            try
            {
                CublasLt.Check(CublasLt.cublasLtMatmulDescCreate(out plan.Desc, Cublas.Compute32F, ScaleType));
                SetDesc(plan.Desc, CublasLt.DescTransA, Cublas.OpT);
                SetDesc(plan.Desc, CublasLt.DescTransB, Cublas.OpN);
                SetDesc(plan.Desc, CublasLt.DescEpilogue, s.Epilogue);
                if (HasBias(s.Epilogue))
                {
                    CublasLt.Check(CublasLt.cublasLtMatmulDescSetAttribute(plan.Desc, CublasLt.DescBiasPointer, &bias, sizeof(ulong)));
                    long biasStride = s.Out;
                    if (s.Parts > 1) CublasLt.Check(CublasLt.cublasLtMatmulDescSetAttribute(plan.Desc, CublasLt.DescBiasBatchStride, &biasStride, sizeof(long)));
                }
                plan.A = Layout(type, s.In, s.Out, s.Parts, (long)s.Out * s.In);
                plan.B = Layout(type, s.In, s.Rows, s.Parts, 0);
                plan.D = Layout(type, s.Out, s.Rows, s.Parts, (long)s.Rows * s.Out);
                plan.Algo = NativeMemory.AllocZeroed(CublasLt.HeuristicResultBytes);
                ChooseAlgorithm(device, plan, s);
                return plan;
            }
            catch
            {
                plan.Destroy();
                throw;
            }
        }

        /// <summary>The heuristic's first algorithm for this shape, the workspace and the pointers' alignment.</summary>
        static void ChooseAlgorithm(CudaDevice device, Plan plan, in LtMatmulShape s)
        {
            CublasLt.Check(CublasLt.cublasLtMatmulPreferenceCreate(out var preference));
            try
            {
                ulong bytes = WorkspaceBytes;
                CublasLt.Check(CublasLt.cublasLtMatmulPreferenceSetAttribute(preference, CublasLt.PreferenceMaxWorkspaceBytes, &bytes, sizeof(ulong)));
                SetAlignment(preference, CublasLt.PreferenceMinAlignmentA, s.WeightAlignment);
                SetAlignment(preference, CublasLt.PreferenceMinAlignmentB, s.InputAlignment);
                SetAlignment(preference, CublasLt.PreferenceMinAlignmentC, s.OutputAlignment);
                SetAlignment(preference, CublasLt.PreferenceMinAlignmentD, s.OutputAlignment);
                // The result is 96 bytes: the 64-byte algorithm first, which is all Run needs.
                CublasLt.Check(CublasLt.cublasLtMatmulAlgoGetHeuristic(device.Lt, plan.Desc, plan.A, plan.B, plan.D, plan.D, preference, 1, plan.Algo, out int returned));
                if (returned < 1)
                    throw new CudaException("cublasLtMatmulAlgoGetHeuristic", Cublas.StatusNotSupported,
                        $"no algorithm for a {s.Parts}-part Linear [{s.Out}x{s.In}] over {s.Rows} rows, epilogue {s.Epilogue}");
            }
            finally
            {
                CublasLt.cublasLtMatmulPreferenceDestroy(preference);
            }
        }

        static void SetDesc(IntPtr desc, int attribute, int value) =>
            CublasLt.Check(CublasLt.cublasLtMatmulDescSetAttribute(desc, attribute, &value, sizeof(int)));

        static void SetAlignment(IntPtr preference, int attribute, int bytes)
        {
            uint value = (uint)bytes;
            CublasLt.Check(CublasLt.cublasLtMatmulPreferenceSetAttribute(preference, attribute, &value, sizeof(uint)));
        }

        /// <summary>A column-major [rows × cols] matrix with leading dimension rows, <paramref name="batch"/> of them <paramref name="stride"/> elements apart.</summary>
        static IntPtr Layout(int type, int rows, int cols, int batch, long stride)
        {
            CublasLt.Check(CublasLt.cublasLtMatrixLayoutCreate(out var layout, type, (ulong)rows, (ulong)cols, rows));
            if (batch > 1)
            {
                CublasLt.Check(CublasLt.cublasLtMatrixLayoutSetAttribute(layout, CublasLt.LayoutBatchCount, &batch, sizeof(int)));
                CublasLt.Check(CublasLt.cublasLtMatrixLayoutSetAttribute(layout, CublasLt.LayoutStridedBatchOffset, &stride, sizeof(long)));
            }
            return layout;
        }

        public void Destroy()
        {
            if (Desc != 0) CublasLt.cublasLtMatmulDescDestroy(Desc);
            foreach (var layout in new[] { A, B, D })
                if (layout != 0) CublasLt.cublasLtMatrixLayoutDestroy(layout);
            if (Algo != null) NativeMemory.Free(Algo);
            Desc = A = B = D = 0;
            Algo = null;
        }
    }
}
