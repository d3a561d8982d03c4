namespace RasNative.Cuda.Native;

/// <summary>A failed CUDA, cuBLAS, cuBLASLt or NVRTC call: the call's name, its status code and the library's own text.</summary>
public sealed class CudaException : Exception
{
    public CudaException(string call, int status, string description)
        : base($"{call} failed: {description} ({status})")
    {
        Call = call;
        Status = status;
    }

    public string Call { get; }

    public int Status { get; }
}
