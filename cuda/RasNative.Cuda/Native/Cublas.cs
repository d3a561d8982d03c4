using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>cuBLAS (libcublas), column-major as the library sees it.</summary>
public static unsafe partial class Cublas
{
    static Cublas() => NativeLibraries.EnsureResolver();

    public const int StatusSuccess = 0;
    public const int StatusNotInitialized = 1;
    public const int StatusInvalidValue = 7;
    public const int StatusNotSupported = 15;

    public const int OpN = 0;
    public const int OpT = 1;
    /// <summary>Conjugate transpose: the same as <see cref="OpT"/> for real types.</summary>
    public const int OpC = 2;

    /// <summary>cublasMath_t: CUBLAS_DEFAULT_MATH never uses TF32 for fp32 GEMMs (the fp32 parity mode relies on it).</summary>
    public const int DefaultMath = 0;
    public const int PedanticMath = 2;
    /// <summary>CUBLAS_TF32_TENSOR_OP_MATH: lets <see cref="Compute32F"/> with fp32 inputs round them to TF32.</summary>
    public const int Tf32TensorOpMath = 3;

    /// <summary>cublasComputeType_t.</summary>
    public const int Compute32F = 68;
    public const int Compute32FPedantic = 69;
    public const int Compute64F = 70;
    public const int Compute32FFast16F = 74;
    public const int Compute32FFast16BF = 75;
    public const int Compute32FFastTF32 = 77;

    /// <summary>cublasGemmAlgo_t CUBLAS_GEMM_DEFAULT.</summary>
    public const int GemmDefault = -1;

    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != StatusSuccess) throw new CudaException(Driver.CallName(call), status, Describe(status));
    }

    public static string Describe(int status)
    {
        var name = cublasGetStatusName(status);
        var text = cublasGetStatusString(status);
        return $"{Marshal.PtrToStringUTF8(name) ?? "CUBLAS_STATUS"}: {Marshal.PtrToStringUTF8(text) ?? "unknown"}";
    }

    [LibraryImport(NativeLibraries.Cublas, EntryPoint = "cublasCreate_v2")] public static partial int cublasCreate(out IntPtr handle);
    [LibraryImport(NativeLibraries.Cublas, EntryPoint = "cublasDestroy_v2")] public static partial int cublasDestroy(IntPtr handle);
    [LibraryImport(NativeLibraries.Cublas, EntryPoint = "cublasSetStream_v2")] public static partial int cublasSetStream(IntPtr handle, IntPtr stream);
    [LibraryImport(NativeLibraries.Cublas)] public static partial int cublasSetMathMode(IntPtr handle, int mode);
    [LibraryImport(NativeLibraries.Cublas)] public static partial IntPtr cublasGetStatusName(int status);
    [LibraryImport(NativeLibraries.Cublas)] public static partial IntPtr cublasGetStatusString(int status);

    [LibraryImport(NativeLibraries.Cublas)]
    public static partial int cublasGemmEx(IntPtr handle, int transa, int transb, int m, int n, int k,
        float* alpha, ulong a, int aType, int lda, ulong b, int bType, int ldb,
        float* beta, ulong c, int cType, int ldc, int computeType, int algo);

    [LibraryImport(NativeLibraries.Cublas)]
    public static partial int cublasGemmStridedBatchedEx(IntPtr handle, int transa, int transb, int m, int n, int k,
        float* alpha, ulong a, int aType, int lda, long strideA, ulong b, int bType, int ldb, long strideB,
        float* beta, ulong c, int cType, int ldc, long strideC, int batchCount, int computeType, int algo);
}
