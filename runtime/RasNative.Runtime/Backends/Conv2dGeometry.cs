using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Backends;

/// <summary>
/// The shapes of one <see cref="IBackend.Conv2d"/> call, checked the same way by every backend before any memory is
/// touched: x [B, H, W, Cin] channels-last, y [B, H', W', Cout] with H' = 2H, W' = 2W when upsampling, else H, W;
/// an odd kernel (padding kernel / 2, stride 1); a weight [Cout, kernel²·Cin]; x and y not overlapping.
/// </summary>
public readonly record struct Conv2dGeometry(int Batch, int InHeight, int InWidth, int InChannels, int OutChannels, int KernelSize, bool Upsample)
{
    public int OutHeight => Upsample ? 2 * InHeight : InHeight;

    public int OutWidth => Upsample ? 2 * InWidth : InWidth;

    public int Padding => KernelSize / 2;

    /// <summary>The im2col row length: kernel²·Cin, in (ky, kx, channel) order.</summary>
    public int Depth => KernelSize * KernelSize * InChannels;

    /// <summary>Output pixels over the whole batch.</summary>
    public long OutPixels => (long)Batch * OutHeight * OutWidth;

    /// <summary>Whether the convolution is a plain GEMM over the pixels (1×1, no upsampling).</summary>
    public bool IsPointwise => KernelSize == 1 && !Upsample;

    public static Conv2dGeometry Of(Tensor x, LinearWeight weight, int kernelSize, bool upsample, Tensor y)
    {
        if (x.Rank != 4 || y.Rank != 4)
            throw new ArgumentException($"conv2d: input {x} and output {y} must be channels-last images [B, H, W, C]");
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentException($"conv2d: kernel size {kernelSize} must be odd (padding kernel / 2 keeps the size)");
        var g = new Conv2dGeometry(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), y.Dim(3), kernelSize, upsample);
        if (y.Dim(0) != g.Batch || y.Dim(1) != g.OutHeight || y.Dim(2) != g.OutWidth)
            throw new ArgumentException($"conv2d: output {y} for input {x}{(upsample ? " upsampled ×2" : "")}, expected [{g.Batch}, {g.OutHeight}, {g.OutWidth}, C]");
        if (weight.InFeatures != g.Depth || weight.OutFeatures != g.OutChannels)
            throw new ArgumentException($"conv2d: weight [{weight.OutFeatures}, {weight.InFeatures}] for {kernelSize}×{kernelSize}, {g.InChannels} → {g.OutChannels} channels, expected [{g.OutChannels}, {g.Depth}]");
        if (x.Storage == y.Storage && x.Offset < y.Offset + y.Length && y.Offset < x.Offset + x.Length)
            throw new ArgumentException($"conv2d: output {y} overlaps input {x}");
        return g;
    }
}
