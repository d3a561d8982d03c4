using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>cuBLASLt (libcublasLt): matmul with fused bias / GELU epilogues.</summary>
public static unsafe partial class CublasLt
{
    static CublasLt() => NativeLibraries.EnsureResolver();

    // cublasLtMatmulDescAttributes_t
    public const int DescPointerMode = 2;
    public const int DescTransA = 3;
    public const int DescTransB = 4;
    public const int DescEpilogue = 7;
    public const int DescBiasPointer = 8;
    public const int DescBiasBatchStride = 10;
    /// <summary>fp8 per-tensor scales: device pointers to one float (NULL = 1); D = scaleD · epilogue(alpha·scaleA·scaleB·AB + beta·scaleC·C).</summary>
    public const int DescAScalePointer = 17;
    public const int DescBScalePointer = 18;
    public const int DescCScalePointer = 19;
    public const int DescDScalePointer = 20;
    /// <summary>Device pointer receiving max |D| (before the D scale) as a float.</summary>
    public const int DescAmaxDPointer = 21;
    public const int DescBiasDataType = 26;

    // cublasLtEpilogue_t
    public const int EpilogueDefault = 1;
    public const int EpilogueRelu = 2;
    public const int EpilogueBias = 4;
    public const int EpilogueReluBias = 6;
    public const int EpilogueGelu = 32;
    public const int EpilogueGeluBias = 36;

    // cublasLtMatrixLayoutAttribute_t and cublasLtOrder_t
    public const int LayoutOrder = 1;
    public const int LayoutBatchCount = 5;
    public const int LayoutStridedBatchOffset = 6;
    public const int OrderColumn = 0;
    public const int OrderRow = 1;

    // cublasLtMatmulPreferenceAttributes_t
    public const int PreferenceMaxWorkspaceBytes = 1;
    /// <summary>The alignment (bytes) the caller promises for A, B, C, D's pointers; the heuristic only returns algorithms needing no more.</summary>
    public const int PreferenceMinAlignmentA = 5;
    public const int PreferenceMinAlignmentB = 6;
    public const int PreferenceMinAlignmentC = 7;
    public const int PreferenceMinAlignmentD = 8;

    /// <summary>sizeof(cublasLtMatmulHeuristicResult_t): a 64-byte algo, workspace size, state, waves, 4 reserved ints.</summary>
    public const int HeuristicResultBytes = 96;

    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "") => Cublas.Check(status, call);

    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtCreate(out IntPtr handle);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtDestroy(IntPtr handle);

    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatmulDescCreate(out IntPtr desc, int computeType, int scaleType);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatmulDescDestroy(IntPtr desc);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatmulDescSetAttribute(IntPtr desc, int attribute, void* value, nuint size);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatmulDescGetAttribute(IntPtr desc, int attribute, void* value, nuint size, out nuint written);

    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatrixLayoutCreate(out IntPtr layout, int type, ulong rows, ulong cols, long ld);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatrixLayoutDestroy(IntPtr layout);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatrixLayoutSetAttribute(IntPtr layout, int attribute, void* value, nuint size);

    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatmulPreferenceCreate(out IntPtr preference);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatmulPreferenceDestroy(IntPtr preference);
    [LibraryImport(NativeLibraries.CublasLt)] public static partial int cublasLtMatmulPreferenceSetAttribute(IntPtr preference, int attribute, void* value, nuint size);

    /// <summary><paramref name="results"/> points at requested × <see cref="HeuristicResultBytes"/> bytes; the algo is each result's first 64 bytes.</summary>
    [LibraryImport(NativeLibraries.CublasLt)]
    public static partial int cublasLtMatmulAlgoGetHeuristic(IntPtr handle, IntPtr desc, IntPtr aLayout, IntPtr bLayout, IntPtr cLayout, IntPtr dLayout,
        IntPtr preference, int requested, void* results, out int returned);

    [LibraryImport(NativeLibraries.CublasLt)]
    public static partial int cublasLtMatmul(IntPtr handle, IntPtr desc, float* alpha, ulong a, IntPtr aLayout, ulong b, IntPtr bLayout,
        float* beta, ulong c, IntPtr cLayout, ulong d, IntPtr dLayout, void* algo, ulong workspace, nuint workspaceBytes, IntPtr stream);
}
