using System.Runtime.InteropServices;
using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// An nn.Linear weight [N, K] packed once at load time for <see cref="CpuGemm.Linear"/>: Wᵀ cut into panels of
/// PanelWidth output columns (two vectors), each panel K rows of PanelWidth elements so the micro-kernel reads one
/// contiguous stream; the last panel is zero-padded to a whole panel. Panels keep the checkpoint's storage format
/// (F32, F16, BF16, F8_E4M3, F8_E5M2 with its per-tensor scale) and the GEMM widens each K-slice of a panel to
/// float32 just before use; the bias (zero-padded) is float32. The native block belongs to the creator (the CPU
/// backend, for the model's lifetime), which must call <see cref="Dispose"/> once no GEMM is using it. There is
/// deliberately no finalizer: weights live as long as their model, and a missed Dispose leaks until process exit
/// instead of adding finalization work for every layer.
/// </summary>
public sealed unsafe class PackedLinearWeight : LinearWeight, IDisposable
{
    const int Alignment = 64;
    nint memory;

    PackedLinearWeight(int n, int k, bool hasBias, SimdKind kind, DType storage, float scale)
        : base(n, k, hasBias, storage, BytesFor(storage, n, k, hasBias, kind))
    {
        Kind = kind;
        Scale = scale;
        ElementSize = storage.ElementSize();
        PanelWidth = 2 * SimdKinds.Lanes(kind);
        PanelCount = (n + PanelWidth - 1) / PanelWidth;
        memory = (nint)NativeMemory.AlignedAlloc((nuint)Bytes, Alignment);
        NativeMemory.Clear((void*)memory, (nuint)Bytes);
    }

    /// <summary>Output features (rows of W).</summary>
    public int N => OutFeatures;

    /// <summary>Input features (columns of W), the GEMM depth.</summary>
    public int K => InFeatures;

    internal SimdKind Kind { get; }

    /// <summary>Multiplies every decoded element (fp8 per-tensor scale; 1 otherwise).</summary>
    internal float Scale { get; }

    internal int ElementSize { get; }

    internal int PanelWidth { get; }

    internal int PanelCount { get; }

    /// <summary>Panel p starts at Panels + p·K·PanelWidth·ElementSize.</summary>
    internal byte* Panels => memory != 0 ? (byte*)memory : throw new ObjectDisposedException(nameof(PackedLinearWeight));

    /// <summary>PanelCount·PanelWidth float32 bias values, or null without bias.</summary>
    internal float* Bias => HasBias ? (float*)(Panels + PanelBytes(PanelCount, PanelWidth, K, ElementSize)) : null;

    /// <summary>Bytes a weight of this storage and shape holds: panels (rounded up to whole panels) and float32 bias.</summary>
    public static long BytesFor(DType storage, int n, int k, bool hasBias) => BytesFor(storage, n, k, hasBias, SimdKinds.Best);

    internal static long BytesFor(DType storage, int n, int k, bool hasBias, SimdKind kind)
    {
        int width = 2 * SimdKinds.Lanes(kind), panels = (n + width - 1) / width;
        return PanelBytes(panels, width, k, storage.ElementSize()) + (hasBias ? (long)panels * width * sizeof(float) : 0);
    }

    /// <param name="weight">[n, k] row-major, as nn.Linear stores it (any shape of n·k elements), in a weight storage format.</param>
    /// <param name="bias">[n], or empty for none.</param>
    public static PackedLinearWeight Create(StoredTensor weight, ReadOnlySpan<float> bias, int n, int k) =>
        Create(weight, bias, n, k, SimdKinds.Best);

    internal static PackedLinearWeight Create(StoredTensor weight, ReadOnlySpan<float> bias, int n, int k, SimdKind kind)
    {
        Backends.OpChecks.LinearWeight(weight, bias.Length, n, k);

        var packed = new PackedLinearWeight(n, k, bias.Length != 0, kind, weight.Format, weight.Scale);
        switch (packed.ElementSize)
        {
            case sizeof(float): Pack(MemoryMarshal.Cast<byte, float>(weight.Bytes), (float*)packed.Panels, n, k, packed.PanelWidth); break;
            case sizeof(ushort): Pack(MemoryMarshal.Cast<byte, ushort>(weight.Bytes), (ushort*)packed.Panels, n, k, packed.PanelWidth); break;
            default: Pack(weight.Bytes, packed.Panels, n, k, packed.PanelWidth); break;
        }
        if (packed.HasBias)
            bias.CopyTo(new Span<float>(packed.Bias, n));
        return packed;
    }

    public void Dispose()
    {
        nint block = Interlocked.Exchange(ref memory, 0);
        if (block != 0)
            NativeMemory.AlignedFree((void*)block);
    }

    /// <summary>Transposes row j of W into column j % width of panel j / width; elements are copied bit for bit.</summary>
    static void Pack<T>(ReadOnlySpan<T> weight, T* panels, int n, int k, int width)
        where T : unmanaged
    {
        for (int j = 0; j < n; j++)
        {
            T* column = panels + (long)(j / width) * k * width + j % width;
            ReadOnlySpan<T> row = weight.Slice(j * k, k);
            for (int kk = 0; kk < k; kk++)
                column[(long)kk * width] = row[kk];
        }
    }

    /// <summary>The panels' bytes, rounded up so the float32 bias behind them starts aligned.</summary>
    static long PanelBytes(int panels, int width, int k, int elementSize) =>
        ((long)panels * width * k * elementSize + Alignment - 1) / Alignment * Alignment;
}
