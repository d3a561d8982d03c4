namespace RasNative.Runtime.Backends;

/// <summary>Epilogue applied to a GEMM's output (after the bias). The values are the CUDA bias_activation kernel's codes.</summary>
public enum Activation
{
    None,

    /// <summary>GELU, tanh approximation: 0.5·y·(1 + tanh(√(2/π)·(y + 0.044715·y³))) (diffusers' GELU(approximate="tanh"), T5's gelu_new).</summary>
    GeluTanh,

    /// <summary>y·sigmoid(y).</summary>
    Silu,

    /// <summary>Exact GELU: y·½·(1 + erf(y/√2)) (transformers' "gelu", CLIP-G's hidden_act).</summary>
    Gelu,

    /// <summary>y·sigmoid(1.702·y) (transformers' "quick_gelu", CLIP-L's hidden_act).</summary>
    QuickGelu,
}
