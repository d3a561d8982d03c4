using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

/// <summary>The VAE decoder's ops on channels-last images (kernels/image.cu; CpuBackend.Image.cs is their reference).</summary>
public sealed partial class CudaBackend
{
    /// <summary>Upper bound on one im2col band, so a 1024² decode's 3×3 convolutions never need a full unfolded copy.</summary>
    const long Im2colScratchBytes = 256L << 20;

    /// <summary>GroupNorm statistics chunk: values one block reduces (an exact float count).</summary>
    const long GroupNormChunkValues = 1 << 16;

    /// <summary>
    /// Tiled im2col + cuBLAS: output pixels in bands of at most <see cref="Im2colScratchBytes"/> of unfolded windows, each
    /// band one im2col launch and one GEMM against the weight (widened once per call when held narrow), then the bias
    /// over the whole output. A 1×1 convolution without upsampling is the GEMM on the input itself.
    /// </summary>
    public void Conv2d(Tensor x, LinearWeight weight, int kernelSize, bool upsample, Tensor y)
    {
        using var _ = Op("conv2d");
        var w = weight as CudaLinearWeight ?? throw new ArgumentException("weight was not uploaded by a CUDA backend");
        var g = Conv2dGeometry.Of(x, weight, kernelSize, upsample, y);
        if (g.OutPixels == 0) return;
        var matrix = ComputeWeight(w);
        if (g.IsPointwise)
        {
            Gemm(w, matrix, Ptr(x), checked((int)g.OutPixels), Ptr(y));
        }
        else
        {
            long band = Math.Clamp(Im2colScratchBytes / ((long)g.Depth * ElementSize), 1, g.OutPixels);
            var columns = Scratch(band * g.Depth * ElementSize);
            for (long first = 0; first < g.OutPixels; first += band)
            {
                long rows = Math.Min(band, g.OutPixels - first);
                Launch("im2col", rows * g.Depth, Ptr(x), columns, first, rows, g.InHeight, g.InWidth, g.InChannels, g.KernelSize, upsample ? 1 : 0);
                Gemm(w, matrix, columns, (int)rows, Ptr(y) + (ulong)(first * g.OutChannels * ElementSize));
            }
            FreeScratch(columns);
        }
        if (w.HasBias)
            Launch("bias_activation", y.Length, Ptr(y), w.Bias, y.Length, w.OutFeatures, (int)Activation.None);
    }

    /// <summary>
    /// Three launches: per (batch row, group, chunk) the chunk's count, mean and centred squares; their merge per group in
    /// double; the normalisation (and SiLU) elementwise.
    /// </summary>
    public void GroupNorm(Tensor x, Tensor weight, Tensor bias, int groups, float eps, bool silu, Tensor y)
    {
        using var _ = Op("group_norm");
        var g = GroupNormGeometry.Of(x, weight, bias, groups, y);
        if (x.Length == 0) return;
        long chunkPositions = Math.Max(1, GroupNormChunkValues / g.GroupSize);
        int chunks = checked((int)((g.Positions + chunkPositions - 1) / chunkPositions));
        long groupRows = (long)g.Batch * groups, items = groupRows * chunks;
        var partials = Scratch(items * 3 * sizeof(float));
        var stats = Scratch(groupRows * 2 * sizeof(float));
        LaunchRows("group_norm_partials", items, Ptr(x), partials, items, g.Positions, g.Channels, g.GroupSize, groups, chunks, chunkPositions);
        Launch("group_norm_stats", groupRows, partials, stats, groupRows, chunks, eps);
        Launch("group_norm_apply", x.Length, Ptr(x), Ptr(weight), Ptr(bias), stats, Ptr(y), x.Length, g.Positions, g.Channels, g.GroupSize, groups, silu ? 1 : 0);
        FreeScratch(partials);
        FreeScratch(stats);
    }
}
