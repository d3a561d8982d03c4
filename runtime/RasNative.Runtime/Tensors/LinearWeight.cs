namespace RasNative.Runtime.Tensors;

/// <summary>
/// An nn.Linear's weight [out, in] and optional bias [out], laid out once at load time in whatever form
/// the backend's GEMM wants (packed panels on the CPU, compute-dtype device memory on CUDA).
/// </summary>
public abstract class LinearWeight
{
    protected LinearWeight(int outFeatures, int inFeatures, bool hasBias)
    {
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        HasBias = hasBias;
    }

    public int OutFeatures { get; }

    public int InFeatures { get; }

    public bool HasBias { get; }
}
