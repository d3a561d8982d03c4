using System.Runtime.InteropServices;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// An nn.Linear weight [N, K] packed once at load time for <see cref="CpuGemm.Linear"/>: Wᵀ cut into panels of
/// PanelWidth output columns (two vectors), each panel K rows of PanelWidth floats so the micro-kernel reads one
/// contiguous, aligned stream; the last panel and the bias are zero-padded to a whole panel. The native block
/// belongs to the creator (the CPU backend, for the model's lifetime), which must call <see cref="Dispose"/>
/// once no GEMM is using it. There is deliberately no finalizer: weights live as long as their model, and a
/// missed Dispose leaks until process exit instead of adding finalization work for every layer.
/// </summary>
public sealed unsafe class PackedLinearWeight : LinearWeight, IDisposable
{
    nint memory;

    PackedLinearWeight(int n, int k, bool hasBias, SimdKind kind)
        : base(n, k, hasBias)
    {
        Kind = kind;
        PanelWidth = 2 * SimdKinds.Lanes(kind);
        PanelCount = (n + PanelWidth - 1) / PanelWidth;
        long floats = (long)PanelCount * PanelWidth * (k + (hasBias ? 1 : 0));
        memory = (nint)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
        NativeMemory.Clear((void*)memory, (nuint)(floats * sizeof(float)));
    }

    /// <summary>Output features (rows of W).</summary>
    public int N => OutFeatures;

    /// <summary>Input features (columns of W), the GEMM depth.</summary>
    public int K => InFeatures;

    internal SimdKind Kind { get; }

    internal int PanelWidth { get; }

    internal int PanelCount { get; }

    /// <summary>Panel p starts at Panels + p·K·PanelWidth.</summary>
    internal float* Panels => memory != 0 ? (float*)memory : throw new ObjectDisposedException(nameof(PackedLinearWeight));

    /// <summary>PanelCount·PanelWidth bias values, or null without bias.</summary>
    internal float* Bias => HasBias ? Panels + (long)PanelCount * PanelWidth * K : null;

    /// <param name="weight">[n, k] row-major, as nn.Linear stores it.</param>
    /// <param name="bias">[n], or empty for none.</param>
    public static PackedLinearWeight Create(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int n, int k) =>
        Create(weight, bias, n, k, SimdKinds.Best);

    internal static PackedLinearWeight Create(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int n, int k, SimdKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (weight.Length != (long)n * k)
            throw new ArgumentException($"weight has {weight.Length} values, expected {n}×{k}", nameof(weight));
        if (bias.Length != 0 && bias.Length != n)
            throw new ArgumentException($"bias has {bias.Length} values, expected {n} or none", nameof(bias));

        var packed = new PackedLinearWeight(n, k, bias.Length != 0, kind);
        int width = packed.PanelWidth;
        float* panels = packed.Panels;
        for (int j = 0; j < n; j++)
        {
            float* column = panels + (long)(j / width) * k * width + j % width;
            ReadOnlySpan<float> row = weight.Slice(j * k, k);
            for (int kk = 0; kk < k; kk++)
                column[(long)kk * width] = row[kk];
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
}
