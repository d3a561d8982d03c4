using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>
/// Linear weights in device memory. A weight stored narrower than the compute dtype (F16/BF16/fp8 under F32, fp8
/// under F16/BF16) stays in its stored width and is widened by the widen_weight kernel into one scratch buffer,
/// sized for the largest such weight and reused by every Linear (stream order keeps the uses apart), right before
/// its GEMM; the kernel decodes exactly, multiplies by the fp8 scale and rounds to the compute dtype as the host
/// conversions do, so results equal widening at upload. A weight in the compute dtype is uploaded as it is; a wider
/// one (or F16 ↔ BF16) is converted on the host at upload.
/// </summary>
public sealed partial class CudaBackend
{
    ulong widenScratch;
    long widenScratchBytes;

    public LinearWeight UploadLinear(StoredTensor weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures)
    {
        using var _ = Op("upload_linear");
        OpChecks.LinearWeight(weight, bias.Length, outFeatures, inFeatures);
        var held = HeldFormat(weight.Format);
        ulong w = held == weight.Format
            ? UploadBytes(weight.Bytes)
            : UploadBytes(HostConversions.ToDevice(weight.ToFloat32(), DType));
        if (held != DType.ToDType())
            EnsureWidenScratch((long)outFeatures * inFeatures * ElementSize);
        var b = bias.IsEmpty ? 0UL : UploadBytes(HostConversions.ToDevice(bias, DType));
        return new CudaLinearWeight(w, b, outFeatures, inFeatures, held, held == weight.Format ? weight.Scale : 1f,
            LinearWeightBytes(weight.Format, outFeatures, inFeatures, !bias.IsEmpty));
    }

    public long LinearWeightBytes(DType storage, int outFeatures, int inFeatures, bool hasBias) =>
        WholeWords((long)outFeatures * inFeatures * HeldFormat(storage).ElementSize()) + (hasBias ? WholeWords((long)outFeatures * ElementSize) : 0);

    /// <summary>Bytes of the scratch narrow weights are widened into: the largest such weight in the compute dtype.</summary>
    public long WidenScratchBytes => widenScratchBytes;

    /// <summary>The stored format where it is narrower than the compute dtype, else the compute dtype.</summary>
    DType HeldFormat(DType stored) => stored.ElementSize() < ElementSize ? stored : DType.ToDType();

    /// <summary>The weight in the compute dtype: its own memory, or the scratch after a widen_weight launch.</summary>
    ulong ComputeWeight(CudaLinearWeight w)
    {
        if (w.Storage == DType.ToDType()) return w.Weight;
        long n = (long)w.OutFeatures * w.InFeatures;
        Launch("widen_weight", n, w.Weight, widenScratch, n, WidenFormat(w.Storage), w.Scale);
        return widenScratch;
    }

    /// <summary>The widen_weight kernel's format codes (kernels/weights.cu).</summary>
    static int WidenFormat(DType storage) => storage switch
    {
        RasNative.Loaders.DType.F16 => 0,
        RasNative.Loaders.DType.BF16 => 1,
        RasNative.Loaders.DType.F8_E4M3 => 2,
        RasNative.Loaders.DType.F8_E5M2 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, "not a narrow weight format"),
    };

    /// <summary>Grows the scratch in stream order, so GEMMs already queued keep reading the old one until it is freed.</summary>
    void EnsureWidenScratch(long bytes)
    {
        if (bytes <= widenScratchBytes) return;
        if (widenScratch != 0) FreeScratch(widenScratch);
        widenScratch = Scratch(bytes);
        widenScratchBytes = bytes;
    }

    static long WholeWords(long bytes) => Math.Max(1, (bytes + 3) / 4) * 4;
}
