using System.CommandLine;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.TextEncoders.Clip;
using RasNative.Runtime.Models.TextEncoders.T5;
using RasNative.Sampler.Text;

namespace RasNative.Cli.Generation;

/// <summary>
/// The prompt → conditioning path of encode and generate. <see cref="Prepare"/> checks the text flags against the
/// model's components and configs, loads the tokenizers and tokenizes (collecting diffusers' warnings) before any
/// weights load; <see cref="Stages"/> states each encoder's memory for the budget; <see cref="Encode"/> runs the
/// encoders one at a time, each on a backend of its own that is released before the next.
/// </summary>
public sealed class PromptEncoding
{
    readonly ModelSource source;
    readonly int? clipSkip, zeroT5Width;
    readonly int maxSequenceLength;

    PromptEncoding(ModelSource source, Sd3TokenIds ids, int? clipSkip, int maxSequenceLength, int? zeroT5Width, IReadOnlyList<string> warnings)
    {
        this.source = source;
        Ids = ids;
        this.clipSkip = clipSkip;
        this.maxSequenceLength = maxSequenceLength;
        this.zeroT5Width = zeroT5Width;
        Warnings = warnings;
    }

    public Sd3TokenIds Ids { get; }

    /// <summary>"warning: …" lines to print: truncated prompts, a negative prompt that guidance ≤ 1 ignores.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Tokens of prompt_embeds: the CLIP length plus the T5 length.</summary>
    public int TextTokens => Ids.ClipTokens + Ids.T5Tokens;

    /// <param name="guidance">Classifier-free guidance (guidance &gt; 1): the negative side is encoded too.</param>
    /// <param name="jointAttentionDim">The transformer's joint_attention_dim, or null without a transformer: the zero block's
    /// width under --no-t5 when no text_encoder_3 config is there (asked only then).</param>
    public static PromptEncoding Prepare(ModelSource source, TextOptions text, ParseResult parsed, bool guidance, Func<int?> jointAttentionDim)
    {
        bool noT5 = parsed.GetValue(text.NoT5);
        int maxSequenceLength = parsed.GetValue(text.MaxSequenceLength);
        int? clipSkip = parsed.GetValue(text.ClipSkip);
        var warnings = new List<string>();
        if (noT5 && text.T5OnlyFlag(parsed) is { } t5Flag)
            throw new UsageException($"{t5Flag} is for the T5 encoder, which --no-t5 leaves out");
        if (!noT5 && !source.Has(PipelineComponent.TextEncoder3))
            try
            {
                source.Get(PipelineComponent.TextEncoder3);
            }
            catch (ModelFolderException e)
            {
                throw new ModelFolderException($"{e.Message}; or give --no-t5 to run without the T5 encoder (its part of prompt_embeds zero)");
            }
        int? zeroWidth = noT5 ? ZeroT5Width(source, jointAttentionDim) : null;
        foreach (var kind in new[] { PipelineComponent.TextEncoder, PipelineComponent.TextEncoder2 })
        {
            var clip = source.Get(kind);
            int layers = ClipTextConfig.FromJson(clip.Config, clip.ConfigSource).NumHiddenLayers;
            if (clipSkip >= layers)
                throw new UsageException($"--clip-skip {clipSkip}: {kind.SubfolderName()} has {layers} layers, so at most {layers - 1} can be skipped");
        }

        var ids = Sd3TokenIds.Tokenize(Sd3Tokenizers.Load(source, t5: !noT5), text.Prompts(parsed), maxSequenceLength, guidance);
        foreach (var notice in ids.Notices)
            warnings.Add($"the {notice.Side} is longer than {notice.Encoder}'s {notice.Limit} tokens and was truncated, dropping: \"{notice.Dropped}\"");
        if (!guidance && text.NegativeFlag(parsed) is { } negativeFlag)
            warnings.Add($"{negativeFlag} is ignored: guidance ≤ 1 runs without classifier-free guidance (give --guidance above 1 to use it)");
        return new PromptEncoding(source, ids, clipSkip, maxSequenceLength, zeroWidth, warnings);
    }

    /// <summary>diffusers without text_encoder_3: zeros as wide as its config's d_model would be, else the transformer's joint_attention_dim.</summary>
    static int ZeroT5Width(ModelSource source, Func<int?> jointAttentionDim)
    {
        if (source.Find(PipelineComponent.TextEncoder3) is { } t5) return T5EncoderConfig.FromJson(t5.Config, t5.ConfigSource).DModel;
        return jointAttentionDim() ?? throw new UsageException(
            "--no-t5: the width of prompt_embeds is unknown (no text_encoder_3/config.json and no transformer config with joint_attention_dim)");
    }

    /// <summary>Each encoder's weights and activations (one prompt, as the CLI gives), in the order they run.</summary>
    public IReadOnlyList<StageMemory> Stages(int computeBytes)
    {
        var stages = new List<StageMemory>();
        foreach (var kind in new[] { PipelineComponent.TextEncoder, PipelineComponent.TextEncoder2 })
        {
            var component = source.Get(kind);
            var config = ClipTextConfig.FromJson(component.Config, component.ConfigSource);
            stages.Add(new StageMemory($"encoding the prompt with {kind.SubfolderName()}", StageMemory.EstimateWeights(component, computeBytes),
                computeBytes * ClipTextModel.ActivationElements(config, 1, Ids.ClipTokens)));
        }
        if (Ids.HasT5)
        {
            var component = source.Get(PipelineComponent.TextEncoder3);
            var config = T5EncoderConfig.FromJson(component.Config, component.ConfigSource);
            string? tiedCopy;
            using (var weights = component.OpenWeights()) tiedCopy = T5EncoderWeights.UnboundTiedCopy(weights.Tensors.Select(t => t.Name));
            stages.Add(new StageMemory("encoding the prompt with text_encoder_3", StageMemory.EstimateWeights(component, computeBytes, tiedCopy),
                computeBytes * T5Encoder.ActivationElements(config, 1, maxSequenceLength)));
        }
        return stages;
    }

    /// <summary>Runs the encoders (each on a backend from <paramref name="createBackend"/>, disposed after it) and assembles the embeddings.</summary>
    public Sd3PromptEmbeddings Encode(Func<IBackend> createBackend, int imagesPerPrompt = 1, Action<PipelineComponent>? onEncoder = null) =>
        new Sd3PromptEncoder(source, createBackend) { OnEncoder = onEncoder }.Encode(Ids, clipSkip, imagesPerPrompt, zeroT5Width);
}
