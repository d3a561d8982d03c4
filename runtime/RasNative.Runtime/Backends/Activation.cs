namespace RasNative.Runtime.Backends;

/// <summary>Epilogue applied to a GEMM's output (after the bias).</summary>
public enum Activation
{
    None,

    /// <summary>GELU, tanh approximation: 0.5·y·(1 + tanh(√(2/π)·(y + 0.044715·y³))).</summary>
    GeluTanh,

    /// <summary>y·sigmoid(y).</summary>
    Silu,
}
