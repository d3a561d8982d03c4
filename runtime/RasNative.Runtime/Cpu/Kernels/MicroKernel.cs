using System.Runtime.CompilerServices;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// The register-tiled inner product shared by GEMM and attention: C[r, 0..2W) = Σ_k A[r, k]·B[k, 0..2W) for up
/// to six rows r, with A read as broadcast scalars at a + r·aRow + k·aK and B as two vectors at b + k·bK.
/// Six rows × two vectors keep 12 accumulators plus two B vectors and a broadcast within the 16 AVX2 registers.
/// Every output element is one FMA chain over k in order, so results do not depend on tiling or threads.
/// </summary>
internal static unsafe class MicroKernel
{
    public const int MaxRows = 6;

    /// <summary>Any number of rows: full six-row tiles, then a 4/2/1-row tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows<TS, TV>(int rows, float* a, nint aRow, nint aK, float* b, nint bK, int depth, float* c, nint ldc, TileStore store)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        int r = 0;
        for (; r + 6 <= rows; r += 6)
            Tile<TS, TV, Rows6>(a + r * aRow, aRow, aK, b, bK, depth, c + r * ldc, ldc, store);
        if (rows - r >= 4)
        {
            Tile<TS, TV, Rows4>(a + r * aRow, aRow, aK, b, bK, depth, c + r * ldc, ldc, store);
            r += 4;
        }
        if (rows - r >= 2)
        {
            Tile<TS, TV, Rows2>(a + r * aRow, aRow, aK, b, bK, depth, c + r * ldc, ldc, store);
            r += 2;
        }
        if (rows - r == 1)
            Tile<TS, TV, Rows1>(a + r * aRow, aRow, aK, b, bK, depth, c + r * ldc, ldc, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile<TS, TV, TR>(float* a, nint aRow, nint aK, float* b, nint bK, int depth, float* c, nint ldc, TileStore store)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
        where TR : struct, IRowCount
    {
        TV c00 = TS.Zero, c01 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero;
        TV c30 = TS.Zero, c31 = TS.Zero, c40 = TS.Zero, c41 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero;
        float* a0 = a, a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow, a4 = a + 4 * aRow, a5 = a + 5 * aRow;
        nint ak = 0;
        for (int k = 0; k < depth; k++, ak += aK, b += bK)
        {
            TV b0 = TS.Load(b), b1 = TS.Load(b + TS.Width);
            TV x = TS.Create(a0[ak]);
            c00 = TS.MultiplyAdd(x, b0, c00);
            c01 = TS.MultiplyAdd(x, b1, c01);
            if (TR.Count > 1)
            {
                x = TS.Create(a1[ak]);
                c10 = TS.MultiplyAdd(x, b0, c10);
                c11 = TS.MultiplyAdd(x, b1, c11);
            }
            if (TR.Count > 2)
            {
                x = TS.Create(a2[ak]);
                c20 = TS.MultiplyAdd(x, b0, c20);
                c21 = TS.MultiplyAdd(x, b1, c21);
                x = TS.Create(a3[ak]);
                c30 = TS.MultiplyAdd(x, b0, c30);
                c31 = TS.MultiplyAdd(x, b1, c31);
            }
            if (TR.Count > 4)
            {
                x = TS.Create(a4[ak]);
                c40 = TS.MultiplyAdd(x, b0, c40);
                c41 = TS.MultiplyAdd(x, b1, c41);
                x = TS.Create(a5[ak]);
                c50 = TS.MultiplyAdd(x, b0, c50);
                c51 = TS.MultiplyAdd(x, b1, c51);
            }
        }

        Put<TS, TV>(c, c00, c01, store.Accumulate);
        if (TR.Count > 1)
            Put<TS, TV>(c + ldc, c10, c11, store.Accumulate);
        if (TR.Count > 2)
        {
            Put<TS, TV>(c + 2 * ldc, c20, c21, store.Accumulate);
            Put<TS, TV>(c + 3 * ldc, c30, c31, store.Accumulate);
        }
        if (TR.Count > 4)
        {
            Put<TS, TV>(c + 4 * ldc, c40, c41, store.Accumulate);
            Put<TS, TV>(c + 5 * ldc, c50, c51, store.Accumulate);
        }
        if (store.Bias != null || store.Activation != GemmEpilogue.None)
            Finish<TS, TV>(TR.Count, c, ldc, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put<TS, TV>(float* c, TV v0, TV v1, bool accumulate)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        if (accumulate)
        {
            v0 = TS.Add(TS.Load(c), v0);
            v1 = TS.Add(TS.Load(c + TS.Width), v1);
        }
        TS.Store(c, v0);
        TS.Store(c + TS.Width, v1);
    }

    /// <summary>
    /// Bias and activation over the just-stored, L1-hot tile. Out of line on purpose: inlined into
    /// <see cref="Tile"/>, the activation's exp makes the register allocator spill the accumulators inside the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Finish<TS, TV>(int rows, float* c, nint ldc, TileStore store)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        for (int r = 0; r < rows; r++)
            for (int half = 0; half < 2; half++)
            {
                float* p = c + r * ldc + half * TS.Width;
                TV v = TS.Load(p);
                if (store.Bias != null)
                    v = TS.Add(v, TS.Load(store.Bias + half * TS.Width));
                if (store.Activation != GemmEpilogue.None)
                    v = Activations.Apply<TS, TV>(v, store.Activation);
                TS.Store(p, v);
            }
    }
}
