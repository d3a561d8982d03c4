namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>Activation applied to each GEMM output element after the bias, while the tile is still in registers.</summary>
public enum GemmEpilogue
{
    None,

    /// <summary>GELU, tanh approximation: 0.5·v·(1 + tanh(√(2/π)·(v + 0.044715·v³))).</summary>
    GeluTanh,

    /// <summary>v·sigmoid(v).</summary>
    Silu,

    /// <summary>Exact GELU: v·½·(1 + erf(v/√2)).</summary>
    Gelu,

    /// <summary>v·sigmoid(1.702·v).</summary>
    QuickGelu,
}
