namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>How <see cref="MicroKernel"/> writes a finished tile: added to what C holds or overwriting it, then bias, then activation.</summary>
internal readonly unsafe struct TileStore(bool accumulate, float* bias, GemmEpilogue activation)
{
    public static TileStore Overwrite => new(false, null, GemmEpilogue.None);

    public static TileStore AddToOutput => new(true, null, GemmEpilogue.None);

    public bool Accumulate { get; } = accumulate;

    /// <summary>The tile's bias columns, readable for the full panel width; null for none.</summary>
    public float* Bias { get; } = bias;

    public GemmEpilogue Activation { get; } = activation;
}
