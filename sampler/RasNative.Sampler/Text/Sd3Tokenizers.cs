using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Tokenizers;
using RasNative.Tokenizers.Clip;
using RasNative.Tokenizers.T5;

namespace RasNative.Sampler.Text;

/// <summary>
/// SD3's three tokenizers as encode_prompt calls them: both CLIP tokenizers padded and truncated to CLIP-L's
/// model_max_length (diffusers' tokenizer_max_length, 77), T5 to max_sequence_length. Truncation is reported as
/// diffusers warns about it, with the dropped text.
/// </summary>
public sealed class Sd3Tokenizers
{
    Sd3Tokenizers(ClipTokenizer clipL, ClipTokenizer clipG, T5Tokenizer? t5) => (ClipL, ClipG, T5) = (clipL, clipG, t5);

    public ClipTokenizer ClipL { get; }
    public ClipTokenizer ClipG { get; }

    /// <summary>Null when the run has no T5 encoder.</summary>
    public T5Tokenizer? T5 { get; }

    /// <summary>diffusers' tokenizer_max_length: the CLIP sequence length of both CLIP encoders.</summary>
    public int ClipLength => ClipL.ModelMaxLength;

    /// <summary>The tokenizers of <paramref name="source"/> (tokenizer/, tokenizer_2/ and, with <paramref name="t5"/>, tokenizer_3/).</summary>
    /// <exception cref="ModelFolderException">A tokenizer folder or file is missing; the message names it.</exception>
    public static Sd3Tokenizers Load(ModelSource source, bool t5) => new(
        ClipTokenizer.Load(Folder(source, PipelineComponent.Tokenizer)),
        ClipTokenizer.Load(Folder(source, PipelineComponent.Tokenizer2)),
        t5 ? T5Tokenizer.Load(Folder(source, PipelineComponent.Tokenizer3)) : null);

    static string Folder(ModelSource source, PipelineComponent kind)
    {
        var component = source.Get(kind);
        return component.Folder ?? throw new ModelFolderException($"{component.Location}: the {kind.SubfolderName()} component has no folder of tokenizer files");
    }

    /// <summary>The ids of one side's texts (<paramref name="side"/> names it in notices); truncations are added to <paramref name="notices"/>.</summary>
    public SideTokens Tokenize(PromptTexts texts, int maxSequenceLength, string side, ICollection<TruncationNotice> notices)
    {
        int[][] Clip(ClipTokenizer tokenizer, IReadOnlyList<string> prompts, string encoder) =>
            [.. prompts.Select(p => Keep(tokenizer.Encode(p, ClipLength), ClipLength, encoder, ids => tokenizer.Decode(ids)))];
        return new SideTokens(
            Clip(ClipL, texts.ClipL, "CLIP-L"),
            Clip(ClipG, texts.ClipG, "CLIP-G"),
            T5 is { } t5 ? [.. texts.T5.Select(p => Keep(t5.Encode(p, maxSequenceLength), maxSequenceLength, "T5", ids => t5.Decode(ids)))] : null);

        int[] Keep(TokenizedText tokens, int limit, string encoder, Func<int[], string> decode)
        {
            // diffusers logs the untruncated ids from limit − 1 up to (not including) the final special token.
            if (tokens.Truncated)
                notices.Add(new TruncationNotice(side, encoder, limit, decode(tokens.UntruncatedIds[(limit - 1)..^1])));
            return tokens.Ids;
        }
    }
}

/// <summary>One side's ids per encoder, one row per prompt; T5 null without a T5 encoder.</summary>
public sealed record SideTokens(int[][] ClipL, int[][] ClipG, int[][]? T5);

/// <summary>A prompt cut to an encoder's length: which side (prompt / negative prompt), encoder, the limit and the dropped text.</summary>
public sealed record TruncationNotice(string Side, string Encoder, int Limit, string Dropped);
