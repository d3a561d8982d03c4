using RasNative.Cuda.Native;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    LtMatmulPlans? matmuls;

    LtMatmulPlans Matmuls => matmuls ??= new LtMatmulPlans(device, calls, DType.CudaDataType());

    /// <summary>Distinct matmul shapes (sizes, parts, epilogue, pointer alignments) run so far; each chose its algorithm once.</summary>
    public int MatmulShapes => matmuls?.Count ?? 0;

    /// <summary>
    /// y = act(x·Wᵀ + b) as one cublasLtMatmul whose epilogue adds the bias and applies GELU-tanh (a weight of parts is
    /// one strided-batch matmul into y [parts, rows.., out]). What the epilogue cannot do — the other activations, or a
    /// bias not 16-byte aligned in every part — is one bias_activation launch after it. A weight held narrower than the
    /// compute dtype is widened into the scratch first (see CudaBackend.Weights).
    /// </summary>
    public void Linear(Tensor x, LinearWeight weight, Tensor y, Activation activation = Activation.None)
    {
        using var _ = Op("linear");
        var w = weight as CudaLinearWeight ?? throw new ArgumentException("weight was not uploaded by a CUDA backend");
        OpChecks.Linear(x, w, y);
        if (x.Rows == 0) return;
        Matmul(w, ComputeWeight(w), Ptr(x), x.Rows, Ptr(y), activation);
    }

    /// <summary>
    /// y [parts, rows, out] = act(x [rows, in] · matrixᵀ + bias), where matrix is <paramref name="w"/>'s [parts·out, in] in
    /// the compute dtype: the epilogue does what it can, a bias_activation launch per part the rest.
    /// </summary>
    void Matmul(CudaLinearWeight w, ulong matrix, ulong x, int rows, ulong y, Activation activation)
    {
        bool biasInEpilogue = w.HasBias && w.Bias % 16 == 0 && (w.Parts == 1 || (long)w.OutFeatures * ElementSize % 16 == 0);
        bool geluInEpilogue = activation == Activation.GeluTanh && (biasInEpilogue || !w.HasBias);
        int epilogue = (biasInEpilogue, geluInEpilogue) switch
        {
            (true, true) => CublasLt.EpilogueGeluBias,
            (true, false) => CublasLt.EpilogueBias,
            (false, true) => CublasLt.EpilogueGelu,
            _ => CublasLt.EpilogueDefault,
        };
        var shape = new LtMatmulShape(w.OutFeatures, rows, w.InFeatures, w.Parts, epilogue,
            LtMatmulPlans.Alignment(matrix), LtMatmulPlans.Alignment(x), LtMatmulPlans.Alignment(y));
        Matmuls.Run(shape, matrix, x, y, w.Bias);

        bool biasAfter = w.HasBias && !biasInEpilogue;
        var activationAfter = geluInEpilogue ? Activation.None : activation;
        if (!biasAfter && activationAfter == Activation.None) return;
        long part = (long)rows * w.OutFeatures;
        for (int p = 0; p < w.Parts; p++)
            LaunchRows("bias_activation", rows, y + (ulong)(p * part * ElementSize), biasAfter ? w.Bias + (ulong)(p * w.OutFeatures * ElementSize) : 0UL,
                (long)rows, w.OutFeatures, (int)activationAfter);
    }
}
