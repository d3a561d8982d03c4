using System.Runtime.InteropServices;

namespace RasNative.Benchmarks;

/// <summary>
/// Debian's OpenBLAS (libopenblas0), bound at run time so the project neither needs it to build nor to run its
/// own benchmarks: it is only the yardstick the GEMM is compared with, side by side.
/// </summary>
public static unsafe class OpenBlas
{
    const int RowMajor = 101, NoTrans = 111, Trans = 112;

    static readonly string[] Candidates =
    [
        "libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
    ];

    static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm;
    static readonly delegate* unmanaged<int, void> setThreads;

    static OpenBlas()
    {
        foreach (string name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, out nint library))
                continue;
            sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
                NativeLibrary.GetExport(library, "cblas_sgemm");
            if (NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out nint threads))
                setThreads = (delegate* unmanaged<int, void>)threads;
            return;
        }
    }

    public static bool Available => sgemm != null;

    /// <summary>Both cores, like the CPU backend, so the comparison is like for like.</summary>
    public static void UseThreads(int threads)
    {
        if (setThreads != null)
            setThreads(threads);
    }

    /// <summary>y[m, n] = x[m, k]·w[n, k]ᵀ, the nn.Linear layout, row-major throughout.</summary>
    public static void Linear(float* x, int m, float* w, int n, int k, float* y)
    {
        if (sgemm == null)
            throw new InvalidOperationException("OpenBLAS not found: apt-get install libopenblas0");
        sgemm(RowMajor, NoTrans, Trans, m, n, k, 1f, x, k, w, k, 0f, y, n);
    }
}
