using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Vae;

/// <summary>
/// diffusers' AutoencoderKL decode path (post_quant_conv, then Decoder.forward) as a flat sequence of backend ops
/// over a preplanned arena, on channels-last images [1, H, W, C] — the layout the convolutions' GEMMs produce and the
/// mid-block attention reads as its h·w tokens. Latents and samples cross to the host in PyTorch's [B, C, H, W]; a
/// batch is decoded image by image, optionally in overlapping tiles (<see cref="VaeTiling"/>).
/// </summary>
public sealed class VaeDecoder
{
    const float NormEps = 1e-6f;

    readonly IBackend backend;
    readonly VaeDecoderWeights weights;
    VaeActivations? arena;

    VaeDecoder(IBackend backend, AutoencoderKlConfig config, VaeDecoderWeights weights)
    {
        this.backend = backend;
        Config = config;
        this.weights = weights;
    }

    public AutoencoderKlConfig Config { get; }

    /// <summary>Backend memory the parameters hold (convolution and Linear weights in their stored width).</summary>
    public long WeightBytes { get; private init; }

    int Groups => Config.NormNumGroups;

    /// <summary>The VAE component of a <see cref="ModelSource"/> (folder, pipeline's vae/, or a single file's section).</summary>
    public static VaeDecoder Load(ModelComponent vae, IBackend backend)
    {
        if (vae.ClassName != AutoencoderKlConfig.ClassName)
            throw new ModelLoadException($"{vae.ConfigSource}: VAE class '{vae.ClassName}' is not supported (supported: {AutoencoderKlConfig.ClassName})");
        var config = AutoencoderKlConfig.FromJson(vae.Config, vae.ConfigSource);
        using var weights = vae.OpenWeights();
        return Load(new CheckpointWeights(weights), config, backend);
    }

    public static VaeDecoder Load(IWeightSource weights, AutoencoderKlConfig config, IBackend backend)
    {
        var binder = new WeightBinder(weights, backend);
        return new(backend, config, VaeDecoderWeights.Bind(binder, config)) { WeightBytes = binder.BytesHeld };
    }

    /// <summary>
    /// The pipelines' decoder input from their final latents, in float32 as diffusers computes it:
    /// latents / scaling_factor, then + shift_factor when the config has one (SD3), divided first.
    /// </summary>
    public static float[] Unscale(AutoencoderKlConfig config, ReadOnlySpan<float> latents)
    {
        float scaling = (float)config.ScalingFactor, shift = (float)(config.ShiftFactor ?? 0);
        var result = new float[latents.Length];
        for (int i = 0; i < latents.Length; i++)
        {
            float v = latents[i] / scaling;
            result[i] = config.ShiftFactor is null ? v : v + shift;
        }
        return result;
    }

    /// <summary>
    /// sample [B, out_channels, h·s, w·s] = decode(latents [B, latent_channels, h, w]) with s = <see cref="AutoencoderKlConfig.SpatialScale"/>,
    /// raw (no clamp). With <paramref name="tiling"/>, each image is decoded in overlapping tiles blended linearly.
    /// <paramref name="observer"/> receives the fixture's intermediate names, channels-last [1, H, W, C] (untiled only).
    /// </summary>
    public float[] Decode(ReadOnlySpan<float> latents, int[] shape, VaeTiling? tiling = null, IActivationObserver? observer = null)
    {
        var (batch, height, width) = CheckLatents(shape, latents.Length);
        if (tiling != null && observer != null) throw new ArgumentException("intermediates are observed on untiled decodes only");
        int scale = Config.SpatialScale, plane = height * width * Config.LatentChannels;
        long imageValues = (long)Config.OutChannels * height * scale * width * scale;
        var sample = new float[checked(batch * imageValues)];
        for (int b = 0; b < batch; b++)
        {
            var latent = latents.Slice(b * plane, plane);
            var image = tiling == null
                ? DecodeImage(latent, height, width, observer)
                : tiling.Decode(latent, Config.LatentChannels, height, width, Config.OutChannels, scale, (tile, h, w) => DecodeImage(tile, h, w, null));
            image.CopyTo(sample, b * imageValues);
        }
        return sample;
    }

    /// <summary>Refuses latents the decoder cannot take, naming the expected shape.</summary>
    (int Batch, int Height, int Width) CheckLatents(int[] shape, int length)
    {
        if (shape.Length != 4 || shape[1] != Config.LatentChannels || shape[0] < 1 || shape[2] < 1 || shape[3] < 1)
            throw new ModelInputException($"latents [{string.Join(", ", shape)}]: the VAE decodes [B, {Config.LatentChannels}, h, w] (its latent_channels)");
        if (Tensor.ShapeLength(shape) != length)
            throw new ArgumentException($"{length} latent values for shape [{string.Join(", ", shape)}]");
        return (shape[0], shape[2], shape[3]);
    }

    /// <summary>
    /// Elements of the arena for one image of <paramref name="height"/> × <paramref name="width"/> latent pixels
    /// (sized by the code that allocates it); long.MaxValue when one buffer would not even fit the arithmetic.
    /// </summary>
    public static long ActivationElements(AutoencoderKlConfig config, int height, int width)
    {
        var plan = new MemoryPlan();
        try
        {
            _ = new VaeActivations(plan, config, height, width);
            return plan.Elements;
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>Allocates the arena for images of up to <paramref name="height"/> × <paramref name="width"/> latent pixels now (bench: outside the timing).</summary>
    public void PlanFor(int height, int width) => PlanArena(height, width);

    /// <summary>One image: latent [C, h, w] on the host → sample [out, H, W] on the host.</summary>
    float[] DecodeImage(ReadOnlySpan<float> latent, int height, int width, IActivationObserver? observer)
    {
        var a = PlanArena(height, width);
        int channels = Config.LatentChannels, scale = Config.SpatialScale;
        var input = a.Latent.View(1, height, width, channels);
        backend.Write(HostLayout.ToChannelsLast(latent, channels, height, width), input);
        var output = a.Output.View(1, height * scale, width * scale, Config.OutChannels);
        Forward(a, input, output, observer);
        var result = new float[output.Length];
        backend.Download(output, result);
        return HostLayout.ToChannelsFirst(result, Config.OutChannels, height * scale, width * scale);
    }

    VaeActivations PlanArena(int height, int width)
    {
        if (arena == null || height > arena.Height || width > arena.Width)
        {
            var (oldHeight, oldWidth) = (arena?.Height ?? 0, arena?.Width ?? 0);
            arena = null;   // the old arena's memory may go before the larger one is allocated
            arena = new VaeActivations(backend, Config, Math.Max(height, oldHeight), Math.Max(width, oldWidth));
        }
        return arena;
    }

    /// <summary>Decoder.forward with SD3's module order; the current activation moves between the arena's three image buffers.</summary>
    void Forward(VaeActivations a, Tensor latent, Tensor output, IActivationObserver? observer)
    {
        int height = latent.Dim(1), width = latent.Dim(2);
        var buffers = new ImageBuffers(a.Image0, a.Image1, a.Image2);
        var x = latent;
        if (weights.PostQuantConv is { } postQuantConv)
        {
            var quantized = buffers.Scratch1.View(1, height, width, Config.LatentChannels);
            backend.Conv2d(x, postQuantConv, 1, upsample: false, quantized);
            x = quantized;
        }
        int top = Config.BlockOutChannels[^1];
        var current = buffers.Current.View(1, height, width, top);
        using (backend.Range("decoder.conv_in"))
            backend.Conv2d(x, weights.ConvIn, 3, upsample: false, current);
        observer?.Observe("conv_in", current);

        using (backend.Range("decoder.mid_block"))
        {
            Resnet(weights.MidBlockResnets[0], buffers, height, width);
            observer?.Observe("mid_block.resnet0", current);
            if (weights.MidBlockAttention is { } attention)
            {
                Attention(attention, a, buffers, height, width);
                observer?.Observe("mid_block.attention", current);
            }
            Resnet(weights.MidBlockResnets[1], buffers, height, width);
            observer?.Observe("mid_block.resnet1", current);
            observer?.Observe("mid_block", current);
        }

        for (int i = 0; i < weights.UpBlocks.Length; i++)
        {
            using var range = backend.Range($"decoder.up_blocks.{i}");
            var block = weights.UpBlocks[i];
            for (int j = 0; j < block.Resnets.Length; j++)
            {
                current = Resnet(block.Resnets[j], buffers, height, width);
                observer?.Observe($"up_blocks.{i}.resnet{j}", current);
            }
            if (block.Upsampler is { } upsampler)
            {
                int channels = block.Resnets[^1].OutChannels;
                (height, width) = (2 * height, 2 * width);
                var upsampled = buffers.Scratch1.View(1, height, width, channels);
                backend.Conv2d(current, upsampler, 3, upsample: true, upsampled);
                buffers = buffers.Rotated();
                current = upsampled;
                observer?.Observe($"up_blocks.{i}.upsampler", current);
            }
            observer?.Observe($"up_blocks.{i}", current);
        }

        using (backend.Range("decoder.conv_out"))
        {
            var normed = buffers.Scratch1.View(current.Shape);
            if (observer != null)
            {
                // norm_out before its SiLU, for the dump only: the decode itself runs the fused op below.
                var unfused = buffers.Scratch2.View(current.Shape);
                backend.GroupNorm(current, weights.ConvNormOut.Weight, weights.ConvNormOut.Bias, Groups, NormEps, silu: false, unfused);
                observer.Observe("norm_out", unfused);
            }
            backend.GroupNorm(current, weights.ConvNormOut.Weight, weights.ConvNormOut.Bias, Groups, NormEps, silu: true, normed);
            observer?.Observe("norm_out_silu", normed);
            backend.Conv2d(normed, weights.ConvOut, 3, upsample: false, output);
        }
        observer?.Observe("conv_out", output);
        observer?.Observe("sample", output);
    }

    /// <summary>
    /// ResnetBlock2D in place on the current buffer: (shortcut(x) or x) + conv2(silu(norm2(conv1(silu(norm1(x)))))),
    /// with the two scratch buffers for the branch.
    /// </summary>
    Tensor Resnet(ResnetBlockWeights r, ImageBuffers buffers, int height, int width)
    {
        var x = buffers.Current.View(1, height, width, r.InChannels);
        var normed = buffers.Scratch1.View(1, height, width, r.InChannels);
        backend.GroupNorm(x, r.Norm1.Weight, r.Norm1.Bias, Groups, NormEps, silu: true, normed);
        var hidden = buffers.Scratch2.View(1, height, width, r.OutChannels);
        backend.Conv2d(normed, r.Conv1, 3, upsample: false, hidden);
        backend.GroupNorm(hidden, r.Norm2.Weight, r.Norm2.Bias, Groups, NormEps, silu: true, hidden);
        var branch = buffers.Scratch1.View(1, height, width, r.OutChannels);
        backend.Conv2d(hidden, r.Conv2, 3, upsample: false, branch);
        var result = buffers.Current.View(1, height, width, r.OutChannels);
        if (r.ConvShortcut is { } shortcut)
        {
            var shortcutOut = buffers.Scratch2.View(1, height, width, r.OutChannels);
            backend.Conv2d(x, shortcut, 1, upsample: false, shortcutOut);
            backend.Add(shortcutOut, branch, result);
        }
        else
        {
            backend.Add(x, branch, result);
        }
        return result;
    }

    /// <summary>
    /// The mid block's attention in place: x + to_out(softmax(q·kᵀ/√C)·v), q, k, v = to_q/k/v(group_norm(x)), one head of
    /// width C over the h·w positions in row-major order — which is what the channels-last buffer already holds.
    /// </summary>
    void Attention(VaeAttentionWeights attention, VaeActivations a, ImageBuffers buffers, int height, int width)
    {
        int channels = Config.BlockOutChannels[^1], tokens = height * width;
        var x = buffers.Current.View(1, height, width, channels);
        var normed = buffers.Scratch1.View(1, height, width, channels);
        backend.GroupNorm(x, attention.GroupNorm.Weight, attention.GroupNorm.Bias, Groups, NormEps, silu: false, normed);
        var rows = normed.View(1, tokens, channels);
        var (q, k, v) = (a.Query!.View(1, tokens, channels), a.Key!.View(1, tokens, channels), a.Value!.View(1, tokens, channels));
        backend.Linear(rows, attention.ToQ, q);
        backend.Linear(rows, attention.ToK, k);
        backend.Linear(rows, attention.ToV, v);
        var attended = buffers.Scratch2.View(1, tokens, channels);
        backend.Attention(new AttentionArgs
        {
            Query1 = q, Key1 = k, Value1 = v, Output1 = attended,
            Heads = 1, HeadDim = channels, Scale = (float)(1.0 / Math.Sqrt(channels)),
        });
        var projected = buffers.Scratch1.View(1, tokens, channels);
        backend.Linear(attended, attention.ToOut, projected);
        var residual = x.View(1, tokens, channels);
        backend.Add(projected, residual, residual);
    }

    /// <summary>The arena's three image buffers in their current roles.</summary>
    readonly record struct ImageBuffers(Tensor Current, Tensor Scratch1, Tensor Scratch2)
    {
        /// <summary>After an op wrote the next activation into Scratch1: that becomes current.</summary>
        public ImageBuffers Rotated() => new(Scratch1, Scratch2, Current);
    }
}
