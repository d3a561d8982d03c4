using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// y = act(x·Wᵀ + b) with W pre-packed (<see cref="PackedLinearWeight"/>). GotoBLAS/BLIS blocking: each task
/// owns an MC-row × panel-range block of y; per KC slice of the depth it packs its x rows into six-row
/// micro-panels (L2-resident) and sweeps them against each weight panel slice (L1-resident). Bias and
/// activation are applied as the last slice's tiles leave the registers.
/// </summary>
public static unsafe class CpuGemm
{
    // MC rows of packed x (MC·KC floats, up to 144 KiB) stay in L2 while the panels sweep over them; a KC × 2W
    // weight slice (up to 24 KiB on AVX2) stays in L1 while the row micro-panels sweep over it. Depths up to
    // 384 (the bench model's D) take a single slice, so y is written once.
    const int MC = 96;
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

        int kSlices = (w.K + TargetKC - 1) / TargetKC;
        int mBlocks = (m + MC - 1) / MC;
        bool parallel = (long)m * w.N * w.K >= ParallelThreshold;
        int targetTasks = parallel ? TasksPerThread * Environment.ProcessorCount : 1;
        int nBlocks = Math.Clamp((targetTasks + mBlocks - 1) / mBlocks, 1, w.PanelCount);
        var job = new LinearJob
        {
            X = x,
            Y = y,
            Panels = w.Panels,
            Bias = w.Bias,
            M = m,
            N = w.N,
            K = w.K,
            KC = (w.K + kSlices - 1) / kSlices,
            PanelCount = w.PanelCount,
            NBlocks = nBlocks,
            Epilogue = epilogue,
        };
        delegate*<void*, int, void> body = w.Kind switch
        {
            SimdKind.Vector512 => &LinearTask<Simd512, Vector512<float>>,
            SimdKind.Vector256 => &LinearTask<Simd256, Vector256<float>>,
            _ => &LinearTask<Simd128, Vector128<float>>,
        };
        int tasks = mBlocks * nBlocks;
        if (parallel)
            KernelParallel.For(tasks, &job, body);
        else
            for (int t = 0; t < tasks; t++)
                body(&job, t);
        GC.KeepAlive(w);
    }

    struct LinearJob
    {
        public float* X, Y, Panels, Bias;
        public int M, N, K, KC, PanelCount, NBlocks;
        public GemmEpilogue Epilogue;
    }

    /// <summary>Block (task / NBlocks, task % NBlocks): MC rows of y against a contiguous range of weight panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    static void LinearTask<TS, TV>(void* context, int task)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        const int Mr = MicroKernel.MaxRows;
        var job = (LinearJob*)context;
        int width = 2 * TS.Width;
        int n = job->N, k = job->K;
        int i0 = task / job->NBlocks * MC;
        int rows = Math.Min(MC, job->M - i0);
        int nBlock = task % job->NBlocks;
        int p0 = nBlock * job->PanelCount / job->NBlocks, p1 = (nBlock + 1) * job->PanelCount / job->NBlocks;
        float* packed = ThreadScratch.Get((rows + Mr - 1) / Mr * Mr * job->KC);
        float* edge = stackalloc float[Mr * width];

        for (int k0 = 0; k0 < k; k0 += job->KC)
        {
            int kc = Math.Min(job->KC, k - k0);
            bool last = k0 + kc == k;
            PackRows(job->X + (long)i0 * k + k0, k, rows, kc, packed);
            for (int p = p0; p < p1; p++)
            {
                int n0 = p * width;
                int cols = Math.Min(width, n - n0);
                float* b = job->Panels + ((long)p * k + k0) * width;
                var store = new TileStore(k0 > 0, last && job->Bias != null ? job->Bias + n0 : null, last ? job->Epilogue : GemmEpilogue.None);
                for (int ir = 0; ir < rows; ir += Mr)
                {
                    int tileRows = Math.Min(Mr, rows - ir);
                    float* a = packed + (long)ir * kc;
                    float* c = job->Y + (long)(i0 + ir) * n + n0;
                    if (cols == width)
                        MicroKernel.Rows<TS, TV>(tileRows, a, 1, Mr, b, width, kc, c, n, store);
                    else
                        EdgeTile<TS, TV>(tileRows, cols, a, b, kc, c, n, edge, store);
                }
            }
        }
    }

    /// <summary>The last panel's partial columns go through a full-width scratch tile, so the kernel never writes past y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void EdgeTile<TS, TV>(int rows, int cols, float* a, float* b, int kc, float* c, int ldc, float* edge, TileStore store)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        int width = 2 * TS.Width;
        if (store.Accumulate)
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<float>(c + (long)r * ldc, cols).CopyTo(new Span<float>(edge + r * width, cols));
        MicroKernel.Rows<TS, TV>(rows, a, 1, MicroKernel.MaxRows, b, width, kc, edge, width, store);
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<float>(edge + r * width, cols).CopyTo(new Span<float>(c + (long)r * ldc, cols));
    }

    /// <summary>x[rows, kc] (row stride ldx) into six-row micro-panels, k-major within each: panel[k·6 + r].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PackRows(float* x, int ldx, int rows, int kc, float* packed)
    {
        const int Mr = MicroKernel.MaxRows;
        for (int i = 0; i < rows; i++)
        {
            float* source = x + (long)i * ldx;
            float* destination = packed + (long)(i / Mr) * Mr * kc + i % Mr;
            for (int kk = 0; kk < kc; kk++)
                destination[kk * Mr] = source[kk];
        }
    }
}
