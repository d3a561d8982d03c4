using RasNative.Runtime.Backends;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// Conv2d on channels-last images (see <see cref="Conv2dGeometry"/>) as im2col through the packed GEMM, in bands:
/// each task gathers the kernel windows of up to BandPixels output pixels into this thread's scratch — one row
/// of kernel²·Cin values per pixel, in the (ky, kx, channel) order of the permuted weight, so every tap is one
/// contiguous copy of Cin channels (zeros outside the image; with upsampling the source pixel is (y/2, x/2), which
/// is nearest ×2 without ever materialising the enlarged image) — and multiplies them by the weight on its own
/// thread. The scratch stays near BandBytes whatever the image size, and each output element is one FMA chain
/// over the window in a fixed order, so results do not depend on banding or threads. A 1×1 convolution without
/// upsampling is a plain GEMM over the pixels.
/// </summary>
public static unsafe class CpuConvolution
{
    // One band's im2col rows (per thread); 8 MiB keeps the scratch small next to any image while the band's rows
    // amortise streaming the weight panels once per band.
    const int BandBytes = 8 << 20;

    // The GEMM's row block for narrow weights: longer bands add nothing once the weight is reused this often.
    const int MaxBandPixels = 384;

    const long ParallelThreshold = 1 << 20;

    /// <summary>y [B, H', W', Cout] = conv(x [B, H, W, Cin]) + bias; x and y must not overlap.</summary>
    public static void Run(float* x, in Conv2dGeometry g, PackedLinearWeight w, float* y)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.K != g.Depth || w.N != g.OutChannels)
            throw new ArgumentException($"conv2d: weight [{w.N}, {w.K}] for depth {g.Depth}, {g.OutChannels} outputs", nameof(w));
        if (g.OutPixels == 0)
            return;
        if (g.IsPointwise)
        {
            CpuGemm.Linear(x, checked((int)g.OutPixels), w, y, GemmEpilogue.None);
            return;
        }

        int band = Math.Clamp(BandBytes / (g.Depth * sizeof(float)), MicroKernel.MaxRows, MaxBandPixels);
        var job = new ConvJob
        {
            X = x,
            Y = y,
            Gemm = CpuGemm.Plan(w, GemmEpilogue.None),
            Geometry = g,
            BandPixels = band,
        };
        int bands = checked((int)((g.OutPixels + band - 1) / band));
        if (g.OutPixels * g.Depth * g.OutChannels >= ParallelThreshold)
            KernelParallel.For(bands, &job, &Band);
        else
            for (int t = 0; t < bands; t++)
                Band(&job, t);
        GC.KeepAlive(w);
    }

    struct ConvJob
    {
        public float* X, Y;
        public CpuGemm.LinearJob Gemm;
        public Conv2dGeometry Geometry;
        public int BandPixels;
    }

    static void Band(void* context, int task)
    {
        var job = (ConvJob*)context;
        ref readonly var g = ref job->Geometry;
        long first = (long)task * job->BandPixels;
        int rows = (int)Math.Min(job->BandPixels, g.OutPixels - first);
        int depth = g.Depth;
        float* columns = ThreadScratch.Im2colBand(rows * depth);
        for (int r = 0; r < rows; r++)
            Gather(job->X, g, first + r, columns + (long)r * depth);
        CpuGemm.RunOnThisThread(job->Gemm, columns, rows, job->Y + first * g.OutChannels);
    }

    /// <summary>The kernel window of output pixel <paramref name="pixel"/> (flat over B·H'·W'), tap by tap.</summary>
    static void Gather(float* x, in Conv2dGeometry g, long pixel, float* row)
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth, k = g.KernelSize, pad = g.Padding, channels = g.InChannels;
        long image = pixel / ((long)outHeight * outWidth);
        int within = (int)(pixel % ((long)outHeight * outWidth));
        int oy = within / outWidth, ox = within % outWidth, shift = g.Upsample ? 1 : 0;
        long bytes = (long)channels * sizeof(float);
        for (int ky = 0; ky < k; ky++)
        {
            int sy = oy + ky - pad;
            for (int kx = 0; kx < k; kx++, row += channels)
            {
                int sx = ox + kx - pad;
                if (sy < 0 || sy >= outHeight || sx < 0 || sx >= outWidth)
                {
                    new Span<float>(row, channels).Clear();
                    continue;
                }
                float* source = x + ((image * g.InHeight + (sy >> shift)) * g.InWidth + (sx >> shift)) * channels;
                Buffer.MemoryCopy(source, row, bytes, bytes);
            }
        }
    }
}
