namespace RasNative.Cli.Bench;

/// <summary>How bench groups op time.</summary>
public enum OpClass
{
    Gemm,
    Attention,
    Elementwise,
}
