using RasNative.Cuda.Native;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    /// <summary>
    /// y = x·Wᵀ by cublasGemmEx (float accumulation), then one bias + activation kernel. Column-major view:
    /// yᵀ [out × rows] = W [in × out]ᵀ · xᵀ [in × rows], so W is op T and x op N with no copies. A weight held
    /// narrower than the compute dtype is widened into the scratch first (see CudaBackend.Weights).
    /// </summary>
    public void Linear(Tensor x, LinearWeight weight, Tensor y, Activation activation = Activation.None)
    {
        using var _ = Op("linear");
        var w = weight as CudaLinearWeight ?? throw new ArgumentException("weight was not uploaded by a CUDA backend");
        int rows = x.Rows;
        Require(x.Dim(-1) == w.InFeatures && y.Dim(-1) == w.OutFeatures && y.Rows == rows, $"linear {x} · [{w.OutFeatures}, {w.InFeatures}]ᵀ → {y}");
        if (rows == 0) return;
        Gemm(w, ComputeWeight(w), Ptr(x), rows, Ptr(y));
        if (w.HasBias || activation != Activation.None)
            Launch("bias_activation", y.Length, Ptr(y), w.Bias, y.Length, w.OutFeatures, (int)activation);
    }

    /// <summary>y [rows, out] = x [rows, in] · matrixᵀ by cublasGemmEx, where matrix is <paramref name="w"/>'s [out, in] in the compute dtype.</summary>
    void Gemm(CudaLinearWeight w, ulong matrix, ulong x, int rows, ulong y)
    {
        int type = DType.CudaDataType();
        calls.GemmEx(Cublas.OpT, Cublas.OpN, w.OutFeatures, rows, w.InFeatures,
            1, matrix, type, w.InFeatures, x, type, w.InFeatures,
            0, y, type, w.OutFeatures);
    }
}
