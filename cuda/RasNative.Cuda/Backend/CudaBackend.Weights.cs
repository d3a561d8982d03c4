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

    public LinearWeight UploadLinear(StoredTensor weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures) =>
        Upload(weight, [weight.Scale], bias, outFeatures, inFeatures);

    public LinearWeight UploadLinearParts(StoredTensor weight, ReadOnlySpan<float> partScales, ReadOnlySpan<float> bias, int outFeatures, int inFeatures)
    {
        Require(partScales.Length >= 2, $"{partScales.Length} parts; a Linear of parts has at least 2");
        Require(weight.Scale == 1f, "the parts' scales come in partScales");
        return Upload(weight, partScales, bias, outFeatures, inFeatures);
    }

    /// <summary>The parts' matrices one after the other in one allocation, so that one strided-batch matmul runs them all.</summary>
    LinearWeight Upload(StoredTensor weight, ReadOnlySpan<float> partScales, ReadOnlySpan<float> bias, int outFeatures, int inFeatures)
    {
        using var _ = Op("upload_linear");
        int parts = partScales.Length;
        OpChecks.LinearWeight(weight, bias.Length, checked(parts * outFeatures), inFeatures);
        var held = HeldFormat(weight.Format);
        var scales = new float[parts];
        for (int p = 0; p < parts; p++) scales[p] = held == weight.Format ? partScales[p] : 1f;
        ulong w = UploadBytes(held == weight.Format ? weight.Bytes : Converted(weight, partScales));
        if (held != DType.ToDType())
            EnsureWidenScratch((long)parts * outFeatures * inFeatures * ElementSize);
        var b = bias.IsEmpty ? 0UL : UploadBytes(HostConversions.ToDevice(bias, DType));
        return new CudaLinearWeight(w, b, outFeatures, inFeatures, held, scales,
            LinearWeightBytes(weight.Format, parts * outFeatures, inFeatures, !bias.IsEmpty));
    }

    /// <summary>The parts widened on the host (each with its scale) and converted to the compute dtype.</summary>
    byte[] Converted(StoredTensor weight, ReadOnlySpan<float> partScales)
    {
        var values = new float[weight.ElementCount];
        var rows = new StoredTensor(weight.Format, weight.Bytes, [weight.ElementCount]);
        long part = weight.ElementCount / partScales.Length;
        for (int p = 0; p < partScales.Length; p++)
            rows.Part(p, partScales.Length, partScales[p]).ToFloat32().CopyTo(values.AsSpan((int)(p * part)));
        return HostConversions.ToDevice(values, DType);
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
        bool oneScale = w.Scales.All(scale => scale == w.Scales[0]);
        // One launch for the whole matrix when the parts share a scale, else one per part.
        for (int p = 0; p < (oneScale ? 1 : w.Parts); p++)
        {
            long count = oneScale ? n * w.Parts : n;
            Launch("widen_weight", count, w.Weight + (ulong)(p * n * w.Storage.ElementSize()), widenScratch + (ulong)(p * n * ElementSize),
                count, WidenFormat(w.Storage), w.Scales[p]);
        }
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
        if (widenScratch != 0) calls.FreeAsync(widenScratch);
        widenScratch = calls.AllocateAsync(bytes);
        widenScratchBytes = bytes;
    }

    static long WholeWords(long bytes) => Math.Max(1, (bytes + 3) / 4) * 4;
}
