using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Vae;

/// <summary>
/// The decode path of diffusers' AutoencoderKL, one member per module, bound by checkpoint name: post_quant_conv
/// (when the config has one) and decoder.* — conv_in, mid_block (resnet, attention, resnet), up_blocks.{i} (ResNets,
/// then an upsampler except in the last), conv_norm_out, conv_out. Every Conv2d and Linear has a bias. The encoder
/// and quant_conv belong to the encode path: they are known extras, not bound.
/// </summary>
public sealed class VaeDecoderWeights
{
    /// <summary>What a VAE checkpoint holds that decoding never reads.</summary>
    public static readonly string[] EncodePathTensors = ["encoder", "quant_conv"];

    public LinearWeight? PostQuantConv { get; init; }                // post_quant_conv (1×1)
    public required LinearWeight ConvIn { get; init; }               // decoder.conv_in (3×3)
    public required ResnetBlockWeights[] MidBlockResnets { get; init; }   // decoder.mid_block.resnets.{0,1}
    public VaeAttentionWeights? MidBlockAttention { get; init; }     // decoder.mid_block.attentions.0
    public required UpBlockWeights[] UpBlocks { get; init; }         // decoder.up_blocks.{i}
    public required GroupNormWeights ConvNormOut { get; init; }      // decoder.conv_norm_out
    public required LinearWeight ConvOut { get; init; }              // decoder.conv_out (3×3)

    public static VaeDecoderWeights Bind(WeightBinder w, AutoencoderKlConfig cfg)
    {
        var channels = cfg.BlockOutChannels.Reverse().ToArray();
        int top = channels[0];
        var weights = new VaeDecoderWeights
        {
            PostQuantConv = cfg.UsePostQuantConv ? w.Conv2d("post_quant_conv", cfg.LatentChannels, cfg.LatentChannels, 1) : null,
            ConvIn = w.Conv2d("decoder.conv_in", top, cfg.LatentChannels, 3),
            MidBlockResnets = [ResnetBlockWeights.Bind(w, "decoder.mid_block.resnets.0", top, top), ResnetBlockWeights.Bind(w, "decoder.mid_block.resnets.1", top, top)],
            MidBlockAttention = cfg.MidBlockAddAttention ? VaeAttentionWeights.Bind(w, "decoder.mid_block.attentions.0", top) : null,
            UpBlocks = [.. Enumerable.Range(0, channels.Length).Select(i =>
                UpBlockWeights.Bind(w, $"decoder.up_blocks.{i}", channels[Math.Max(0, i - 1)], channels[i], cfg.LayersPerBlock + 1, upsample: i < channels.Length - 1))],
            ConvNormOut = GroupNormWeights.Bind(w, "decoder.conv_norm_out", cfg.BlockOutChannels[0]),
            ConvOut = w.Conv2d("decoder.conv_out", cfg.OutChannels, cfg.BlockOutChannels[0], 3),
        };
        w.Finish(EncodePathTensors);
        return weights;
    }
}

/// <summary>nn.GroupNorm's affine parameters.</summary>
public sealed record GroupNormWeights(Tensor Weight, Tensor Bias)
{
    public static GroupNormWeights Bind(WeightBinder w, string prefix, int channels) =>
        new(w.Parameter(prefix + ".weight", channels), w.Parameter(prefix + ".bias", channels));
}

/// <summary>ResnetBlock2D: norm1 → SiLU → conv1 → norm2 → SiLU → conv2, plus the input (through a 1×1 conv_shortcut when the width changes).</summary>
public sealed record ResnetBlockWeights(int InChannels, int OutChannels, GroupNormWeights Norm1, LinearWeight Conv1,
    GroupNormWeights Norm2, LinearWeight Conv2, LinearWeight? ConvShortcut)
{
    public static ResnetBlockWeights Bind(WeightBinder w, string prefix, int inChannels, int outChannels) => new(inChannels, outChannels,
        GroupNormWeights.Bind(w, prefix + ".norm1", inChannels),
        w.Conv2d(prefix + ".conv1", outChannels, inChannels, 3),
        GroupNormWeights.Bind(w, prefix + ".norm2", outChannels),
        w.Conv2d(prefix + ".conv2", outChannels, outChannels, 3),
        inChannels != outChannels ? w.Conv2d(prefix + ".conv_shortcut", outChannels, inChannels, 1) : null);
}

/// <summary>The mid block's single-head self-attention over the h·w positions (diffusers stores its projections as Linear [C, C]).</summary>
public sealed record VaeAttentionWeights(GroupNormWeights GroupNorm, LinearWeight ToQ, LinearWeight ToK, LinearWeight ToV, LinearWeight ToOut)
{
    public static VaeAttentionWeights Bind(WeightBinder w, string prefix, int channels) => new(
        GroupNormWeights.Bind(w, prefix + ".group_norm", channels),
        w.Linear(prefix + ".to_q", bias: true, channels, channels),
        w.Linear(prefix + ".to_k", bias: true, channels, channels),
        w.Linear(prefix + ".to_v", bias: true, channels, channels),
        w.Linear(prefix + ".to_out.0", bias: true, channels, channels));
}

/// <summary>UpDecoderBlock2D: ResNets (the first may change the width), then nearest ×2 + 3×3 conv except in the last block.</summary>
public sealed record UpBlockWeights(ResnetBlockWeights[] Resnets, LinearWeight? Upsampler)
{
    public static UpBlockWeights Bind(WeightBinder w, string prefix, int inChannels, int outChannels, int resnets, bool upsample) => new(
        [.. Enumerable.Range(0, resnets).Select(j => ResnetBlockWeights.Bind(w, $"{prefix}.resnets.{j}", j == 0 ? inChannels : outChannels, outChannels))],
        upsample ? w.Conv2d(prefix + ".upsamplers.0.conv", outChannels, outChannels, 3) : null);
}
