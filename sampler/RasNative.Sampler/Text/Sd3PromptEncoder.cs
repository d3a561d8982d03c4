using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.TextEncoders;
using RasNative.Runtime.Models.TextEncoders.Clip;
using RasNative.Runtime.Models.TextEncoders.T5;

namespace RasNative.Sampler.Text;

/// <summary>
/// StableDiffusion3Pipeline.encode_prompt over the three encoders of a <see cref="ModelSource"/>. The encoders run one at a
/// time, each on a backend of its own that is disposed when it is done, so their memory is released before the next
/// loads (and before the transformer): the peak is the largest encoder, not their sum.
/// </summary>
public sealed class Sd3PromptEncoder(ModelSource source, Func<IBackend> createBackend)
{
    /// <summary>Called as each encoder starts (text_encoder, text_encoder_2, text_encoder_3), for progress displays.</summary>
    public Action<PipelineComponent>? OnEncoder { get; init; }

    /// <param name="clipSkip">diffusers' clip_skip for the prompt side: hidden_states[-(clip_skip + 2)]; null = [-2]. The
    /// negative side always uses [-2].</param>
    /// <param name="imagesPerPrompt">num_images_per_prompt: every prompt's rows repeated that often.</param>
    /// <param name="zeroT5Width">Without T5 ids (no text_encoder_3): the width of the zero block that stands in for it.</param>
    public Sd3PromptEmbeddings Encode(Sd3TokenIds ids, int? clipSkip = null, int imagesPerPrompt = 1, int? zeroT5Width = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imagesPerPrompt, 1);
        if (clipSkip < 0) throw new ArgumentOutOfRangeException(nameof(clipSkip), clipSkip, "clip_skip must not be negative");
        var sides = ids.Negative is { } negative ? new[] { ids.Positive, negative } : [ids.Positive];
        var clipL = RunClip(PipelineComponent.TextEncoder, [.. sides.Select(s => s.ClipL)], clipSkip);
        var clipG = RunClip(PipelineComponent.TextEncoder2, [.. sides.Select(s => s.ClipG)], clipSkip);
        var (t5, t5Width) = ids.HasT5
            ? RunT5([.. sides.Select(s => s.T5!)])
            : (null, zeroT5Width ?? throw new ArgumentException("no T5 ids and no width for the zero block that replaces T5", nameof(zeroT5Width)));

        int batch = ids.Prompts;
        (float[] Prompt, float[] Pooled) Assemble(int side) => (
            PromptAssembly.RepeatRows(PromptAssembly.PromptEmbeds(batch, ids.ClipTokens, clipL.Hidden[side], clipL.Width, clipG.Hidden[side], clipG.Width,
                t5?[side], ids.T5Tokens, t5Width), batch, imagesPerPrompt),
            PromptAssembly.RepeatRows(PromptAssembly.Pooled(batch, clipL.Embeds[side], clipL.EmbedWidth, clipG.Embeds[side], clipG.EmbedWidth), batch, imagesPerPrompt));
        var prompt = Assemble(0);
        var negativeSide = sides.Length > 1 ? Assemble(1) : ((float[], float[])?)null;
        return new Sd3PromptEmbeddings(prompt.Prompt, prompt.Pooled, negativeSide?.Item1, negativeSide?.Item2,
            batch * imagesPerPrompt, ids.ClipTokens + ids.T5Tokens, t5Width, clipL.EmbedWidth + clipG.EmbedWidth);
    }

    /// <summary>One CLIP encoder over each side's ids: the selected hidden states and text_embeds on the host.</summary>
    ClipResult RunClip(PipelineComponent kind, int[][][] sides, int? clipSkip)
    {
        OnEncoder?.Invoke(kind);
        using var backend = createBackend();
        var model = ClipTextModel.Load(source.Get(kind), backend);
        if (clipSkip >= model.Layers)
            throw new ModelInputException($"clip_skip {clipSkip}: {kind.SubfolderName()} has {model.Layers} layers, so at most {model.Layers - 1} can be skipped");
        var hidden = new float[sides.Length][];
        var embeds = new float[sides.Length][];
        for (int side = 0; side < sides.Length; side++)
        {
            // hidden_states has layers + 1 entries; [-(k + 2)] is entry layers − 1 − k. The negative side ignores clip_skip.
            int state = model.Layers - 1 - (side == 0 ? clipSkip ?? 0 : 0);
            var output = model.Forward(TokenBatch.FromRows(sides[side]), state);
            (hidden[side], embeds[side]) = (Download(backend, output.HiddenState), Download(backend, output.TextEmbeds));
        }
        return new ClipResult(hidden, embeds, model.Config.HiddenSize, model.EmbedWidth);
    }

    (float[][] Hidden, int Width) RunT5(int[][][] sides)
    {
        OnEncoder?.Invoke(PipelineComponent.TextEncoder3);
        using var backend = createBackend();
        var model = T5Encoder.Load(source.Get(PipelineComponent.TextEncoder3), backend);
        return ([.. sides.Select(rows => Download(backend, model.Forward(TokenBatch.FromRows(rows))))], model.Config.DModel);
    }

    static float[] Download(IBackend backend, Runtime.Tensors.Tensor tensor)
    {
        var values = new float[tensor.Length];
        backend.Download(tensor, values);
        return values;
    }

    sealed record ClipResult(float[][] Hidden, float[][] Embeds, int Width, int EmbedWidth);
}
