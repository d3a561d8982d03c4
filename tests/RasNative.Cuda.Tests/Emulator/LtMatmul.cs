using RasNative.Cuda.Native;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>One cublasLtMatmul's descriptors: the operation descriptor and a layout per matrix (order, batch count
/// and stride set as the matrix has them), released together.</summary>
public sealed unsafe class LtMatmul : IDisposable
{
    readonly List<IntPtr> layouts = [];

    public LtMatmul(int compute, DataType scaleType)
    {
        CublasLt.Check(CublasLt.cublasLtMatmulDescCreate(out var desc, compute, (int)scaleType));
        Desc = desc;
    }

    public IntPtr Desc { get; }

    public int Set(int attribute, int value) => CublasLt.cublasLtMatmulDescSetAttribute(Desc, attribute, &value, sizeof(int));

    public int Set(int attribute, long value) => CublasLt.cublasLtMatmulDescSetAttribute(Desc, attribute, &value, sizeof(long));

    public int SetPointer(int attribute, ulong address) => CublasLt.cublasLtMatmulDescSetAttribute(Desc, attribute, &address, sizeof(ulong));

    /// <summary>A layout for <paramref name="m"/>; <paramref name="rows"/>/<paramref name="cols"/> override its shape (to describe it wrongly).</summary>
    public IntPtr Layout(DeviceMatrix m, ulong? rows = null, ulong? cols = null, long? ld = null, int? batch = null)
    {
        CublasLt.Check(CublasLt.cublasLtMatrixLayoutCreate(out var layout, (int)m.Type, rows ?? (ulong)m.Rows, cols ?? (ulong)m.Cols, ld ?? m.Ld));
        layouts.Add(layout);
        int order = m.RowMajor ? CublasLt.OrderRow : CublasLt.OrderColumn, count = batch ?? m.Batch;
        long stride = m.BatchStride;
        CublasLt.Check(CublasLt.cublasLtMatrixLayoutSetAttribute(layout, CublasLt.LayoutOrder, &order, sizeof(int)));
        CublasLt.Check(CublasLt.cublasLtMatrixLayoutSetAttribute(layout, CublasLt.LayoutBatchCount, &count, sizeof(int)));
        CublasLt.Check(CublasLt.cublasLtMatrixLayoutSetAttribute(layout, CublasLt.LayoutStridedBatchOffset, &stride, sizeof(long)));
        return layout;
    }

    /// <summary>D = … with host alpha/beta of the scale type, the library's own algorithm choice (algo NULL) and no workspace.</summary>
    public int Run(IntPtr lt, DeviceMatrix a, DeviceMatrix b, DeviceMatrix c, DeviceMatrix d, double alpha, double beta,
        IntPtr? aLayout = null, IntPtr? bLayout = null, IntPtr? cLayout = null, IntPtr? dLayout = null,
        void* algo = null, ulong workspace = 0, nuint workspaceBytes = 0, bool doubleScale = false)
    {
        IntPtr la = aLayout ?? Layout(a), lb = bLayout ?? Layout(b), lc = cLayout ?? Layout(c), ld = dLayout ?? Layout(d);
        float alphaF = (float)alpha, betaF = (float)beta;
        double alphaD = alpha, betaD = beta;
        float* pa = doubleScale ? (float*)&alphaD : &alphaF, pb = doubleScale ? (float*)&betaD : &betaF;
        return CublasLt.cublasLtMatmul(lt, Desc, pa, a.Address, la, b.Address, lb, pb, c.Address, lc, d.Address, ld,
            algo, workspace, workspaceBytes, IntPtr.Zero);
    }

    public void Dispose()
    {
        foreach (var layout in layouts) CublasLt.cublasLtMatrixLayoutDestroy(layout);
        CublasLt.cublasLtMatmulDescDestroy(Desc);
    }
}
