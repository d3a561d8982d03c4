using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RasNative.Loaders;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// y = act(x·Wᵀ + b) with W pre-packed (<see cref="PackedLinearWeight"/>). GotoBLAS/BLIS blocking: each task
/// owns an MC-row × panel-range block of y and, per KC slice of the depth, sweeps its x rows (L2-resident)
/// against each weight panel slice (L1-resident). x is not packed: the micro-kernel broadcasts straight from
/// six x rows, which measured as fast as packing at these depths and much faster for a few hundred rows, where
/// repacking per task dominated. Bias and activation are applied as the last slice's tiles leave the registers.
/// Weights held narrower than float32 are widened one panel slice at a time (KC × 2W elements, exactly, see
/// <see cref="FloatFormats.Widen"/>) into this thread's scratch, which the micro-kernel then reads for all of the
/// block's rows (NarrowMC of them); it sees the same floats in the same order as with float32 weights, so results
/// are bit-identical.
/// </summary>
public static unsafe class CpuGemm
{
    // MC rows of x (MC·KC floats, up to 144 KiB) stay in L2 while the panels sweep over them; a KC × 2W
    // weight slice (up to 24 KiB on AVX2) stays in L1 while six-row tiles sweep over it. Depths up to
    // 384 (the bench model's D) take a single slice, so y is written once.
    const int MC = 96;

    // Weights held narrower than float32 are widened once per (row block, K slice, panel), so their blocks take
    // more rows: measured with process CPU time on the 2-core Zen 3 machine (docs/benchmarks.md), 384 rows cut the
    // F16/fp8 overhead over float32 weights on the sd3-bench shapes from ~35 % (96 rows) and ~15 % (192) to ~9 %,
    // although 384·KC floats of x (576 KiB) then spill from its 512 KiB L2 into L3.
    const int NarrowMC = 384;
    const int TargetKC = 384;

    // Below this many multiply-adds waking a worker costs more than it saves.
    const long ParallelThreshold = 1 << 20;

    // Tasks per participating thread, so dynamic claiming evens out blocks of unequal size.
    const int TasksPerThread = 16;

    /// <summary>y[m, N] = epilogue(x[m, K]·Wᵀ + bias); x and y are contiguous row-major and must not overlap.</summary>
    public static void Linear(float* x, int m, PackedLinearWeight w, float* y, GemmEpilogue epilogue)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (m == 0)
            return;
        if (x == null || y == null)
            throw new ArgumentNullException(x == null ? nameof(x) : nameof(y));

        var job = Plan(w, epilogue);
        bool parallel = (long)m * w.N * w.K >= ParallelThreshold;
        int mBlocks = (m + job.MC - 1) / job.MC;
        int targetTasks = parallel ? TasksPerThread * Environment.ProcessorCount : 1;
        job.X = x;
        job.Y = y;
        job.M = m;
        job.NBlocks = Math.Clamp((targetTasks + mBlocks - 1) / mBlocks, 1, w.PanelCount);
        var body = Body(job.Kind);
        int tasks = mBlocks * job.NBlocks;
        if (parallel)
            KernelParallel.For(tasks, &job, body);
        else
            for (int t = 0; t < tasks; t++)
                body(&job, t);
        GC.KeepAlive(w);
    }

    /// <summary>
    /// A job's weight half (panels, blocking, epilogue), for callers that run many GEMMs against one weight from
    /// inside their own tasks (<see cref="RunOnThisThread"/>); they keep <paramref name="w"/> alive meanwhile.
    /// </summary>
    internal static LinearJob Plan(PackedLinearWeight w, GemmEpilogue epilogue)
    {
        int kSlices = (w.K + TargetKC - 1) / TargetKC;
        return new LinearJob
        {
            Panels = w.Panels,
            Bias = w.Bias,
            Storage = w.Storage,
            ElementSize = w.ElementSize,
            Scale = w.Scale,
            N = w.N,
            K = w.K,
            KC = (w.K + kSlices - 1) / kSlices,
            MC = w.Storage == DType.F32 ? MC : NarrowMC,
            PanelCount = w.PanelCount,
            NBlocks = 1,
            Epilogue = epilogue,
            Kind = w.Kind,
        };
    }

    /// <summary>y[m, N] = epilogue(x[m, K]·Wᵀ + bias) for a <see cref="Plan"/>, all on the calling thread.</summary>
    internal static void RunOnThisThread(in LinearJob plan, float* x, int m, float* y)
    {
        var job = plan;
        job.X = x;
        job.Y = y;
        job.M = m;
        job.NBlocks = 1;
        var body = Body(job.Kind);
        for (int t = 0, tasks = (m + job.MC - 1) / job.MC; t < tasks; t++)
            body(&job, t);
    }

    static delegate*<void*, int, void> Body(SimdKind kind) => kind switch
    {
        SimdKind.Vector512 => &LinearTask<Simd512, Vector512<float>>,
        SimdKind.Vector256 => &LinearTask<Simd256, Vector256<float>>,
        _ => &LinearTask<Simd128, Vector128<float>>,
    };

    internal struct LinearJob
    {
        public float* X, Y, Bias;
        public byte* Panels;
        public DType Storage;
        public int ElementSize;
        public float Scale;
        public int M, N, K, KC, MC, PanelCount, NBlocks;
        public GemmEpilogue Epilogue;
        public SimdKind Kind;
    }

    /// <summary>Block (task / NBlocks, task % NBlocks): MC rows of y against a contiguous range of weight panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void LinearTask<TS, TV>(void* context, int task)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        var job = (LinearJob*)context;
        int width = 2 * TS.Width;
        int n = job->N, k = job->K;
        int i0 = task / job->NBlocks * job->MC;
        int rows = Math.Min(job->MC, job->M - i0);
        int nBlock = task % job->NBlocks;
        int p0 = nBlock * job->PanelCount / job->NBlocks, p1 = (nBlock + 1) * job->PanelCount / job->NBlocks;
        float* widened = job->Storage == DType.F32 ? null : ThreadScratch.WidenedPanel(job->KC * width);

        for (int k0 = 0; k0 < k; k0 += job->KC)
        {
            int kc = Math.Min(job->KC, k - k0);
            bool last = k0 + kc == k;
            float* a = job->X + (long)i0 * k + k0;
            for (int p = p0; p < p1; p++)
            {
                int n0 = p * width;
                int cols = Math.Min(width, n - n0);
                byte* stored = job->Panels + ((long)p * k + k0) * width * job->ElementSize;
                float* b = widened == null ? (float*)stored : Widen(job, stored, kc * width, widened);
                float* c = job->Y + (long)i0 * n + n0;
                var store = new TileStore(k0 > 0, last && job->Bias != null ? job->Bias + n0 : null, last ? job->Epilogue : GemmEpilogue.None);
                if (cols == width)
                    MicroKernel.Rows<TS, TV>(rows, a, k, 1, b, width, kc, c, n, store);
                else
                    EdgeColumns<TS, TV>(rows, cols, a, k, b, kc, c, n, store);
            }
        }
    }

    /// <summary>One panel slice of <paramref name="count"/> stored elements → float32 (decode, then the per-tensor scale).</summary>
    static float* Widen(LinearJob* job, byte* stored, int count, float* destination)
    {
        FloatFormats.Widen(job->Storage, new ReadOnlySpan<byte>(stored, count * job->ElementSize), job->Scale, new Span<float>(destination, count));
        return destination;
    }

    /// <summary>The last panel's partial columns go through a full-width scratch tile, so the kernel never writes past y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    static void EdgeColumns<TS, TV>(int rows, int cols, float* a, int lda, float* b, int kc, float* c, int ldc, TileStore store)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        const int Mr = MicroKernel.MaxRows;
        int width = 2 * TS.Width;
        float* edge = stackalloc float[Mr * width];
        for (int r0 = 0; r0 < rows; r0 += Mr)
        {
            int tileRows = Math.Min(Mr, rows - r0);
            if (store.Accumulate)
                for (int r = 0; r < tileRows; r++)
                    new ReadOnlySpan<float>(c + (long)(r0 + r) * ldc, cols).CopyTo(new Span<float>(edge + r * width, cols));
            MicroKernel.Rows<TS, TV>(tileRows, a + (long)r0 * lda, lda, 1, b, width, kc, edge, width, store);
            for (int r = 0; r < tileRows; r++)
                new ReadOnlySpan<float>(edge + r * width, cols).CopyTo(new Span<float>(c + (long)(r0 + r) * ldc, cols));
        }
    }
}
