using RasNative.Loaders;

namespace RasNative.Cuda;

/// <summary>Storage dtype of a <see cref="CudaBackend"/>'s tensors; all arithmetic accumulates in float32.</summary>
public enum CudaDType
{
    F32,
    F16,
    BF16,
}

public static class CudaDTypeExtensions
{
    public static int ElementSize(this CudaDType dtype) => dtype == CudaDType.F32 ? 4 : 2;

    /// <summary>The safetensors dtype of the same format.</summary>
    public static DType ToDType(this CudaDType dtype) => dtype switch
    {
        CudaDType.F32 => DType.F32,
        CudaDType.F16 => DType.F16,
        _ => DType.BF16,
    };

    /// <summary>cudaDataType_t for cuBLAS: CUDA_R_32F, CUDA_R_16F, CUDA_R_16BF.</summary>
    public static int CudaDataType(this CudaDType dtype) => dtype switch
    {
        CudaDType.F32 => 0,
        CudaDType.F16 => 2,
        _ => 14,
    };

    /// <summary>The RAS_DTYPE value the kernel sources are compiled with (see kernels/ras.cuh).</summary>
    public static int KernelMacro(this CudaDType dtype) => (int)dtype;

    public static string KernelTypeName(this CudaDType dtype) => dtype switch
    {
        CudaDType.F32 => "float",
        CudaDType.F16 => "__half",
        _ => "__nv_bfloat16",
    };
}
