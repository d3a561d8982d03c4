namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// Rows of a micro-tile as a type, so <see cref="MicroKernel"/> is compiled once per row count with the unused
/// accumulators removed: one source for the full 6-row tile and its 4/2/1-row tails.
/// </summary>
internal interface IRowCount
{
    static abstract int Count { get; }
}

internal readonly struct Rows6 : IRowCount
{
    public static int Count => 6;
}

internal readonly struct Rows4 : IRowCount
{
    public static int Count => 4;
}

internal readonly struct Rows2 : IRowCount
{
    public static int Count => 2;
}

internal readonly struct Rows1 : IRowCount
{
    public static int Count => 1;
}
