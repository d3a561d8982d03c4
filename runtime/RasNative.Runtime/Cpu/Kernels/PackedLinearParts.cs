using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// A Linear of several parts (<see cref="Backends.IBackend.UploadLinearParts"/>) on the CPU: one packed weight per part,
/// each run as its own GEMM into its slice of the output. The CPU gains nothing from one larger GEMM; the parts exist
/// so that the model code is the same on every backend.
/// </summary>
public sealed class PackedLinearParts : LinearWeight, IDisposable
{
    PackedLinearParts(PackedLinearWeight[] parts)
        : base(parts[0].OutFeatures, parts[0].InFeatures, parts[0].HasBias, parts[0].Storage, parts.Sum(p => p.Bytes), parts.Length)
    {
        Packed = parts;
    }

    internal IReadOnlyList<PackedLinearWeight> Packed { get; }

    /// <param name="weight">[parts·n, k]: the parts' matrices one after the other, in one format, scale 1.</param>
    /// <param name="partScales">Each part's fp8 scale (1 for other formats).</param>
    /// <param name="bias">[parts·n] (each part's bias in turn), or empty.</param>
    public static PackedLinearParts Create(StoredTensor weight, ReadOnlySpan<float> partScales, ReadOnlySpan<float> bias, int n, int k)
    {
        int count = partScales.Length;
        if (count < 2) throw new ArgumentException($"{count} parts; a Linear of parts has at least 2", nameof(partScales));
        if (weight.Scale != 1f) throw new ArgumentException("the parts' scales come in partScales", nameof(weight));
        if (weight.ElementCount != (long)count * n * k)
            throw new ArgumentException($"weight {weight.ShapeText} has {weight.ElementCount} values, expected {count}×{n}×{k}", nameof(weight));
        if (bias.Length != 0 && bias.Length != count * n)
            throw new ArgumentException($"bias has {bias.Length} values, expected {count}×{n} or none", nameof(bias));
        var rows = new StoredTensor(weight.Format, weight.Bytes, [(long)count * n, k]);
        var parts = new PackedLinearWeight[count];
        try
        {
            for (int p = 0; p < count; p++)
                parts[p] = PackedLinearWeight.Create(rows.Part(p, count, partScales[p]), bias.IsEmpty ? [] : bias.Slice(p * n, n), n, k);
        }
        catch
        {
            foreach (var part in parts) part?.Dispose();
            throw;
        }
        return new PackedLinearParts(parts);
    }

    public static long BytesFor(DType storage, int parts, int n, int k, bool hasBias) => parts * PackedLinearWeight.BytesFor(storage, n, k, hasBias);

    public void Dispose()
    {
        foreach (var part in Packed) ((IDisposable)part).Dispose();
    }
}
