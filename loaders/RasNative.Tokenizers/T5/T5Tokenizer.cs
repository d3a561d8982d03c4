using System.Text;
using System.Text.RegularExpressions;
using RasNative.Loaders;
using RasNative.Tokenizers.SentencePiece;

namespace RasNative.Tokenizers.T5;

/// <summary>
/// transformers' slow T5Tokenizer (legacy behaviour) from a tokenizer folder (spiece.model, optional
/// tokenizer_config.json / special_tokens_map.json): special-token split (&lt;/s&gt;, &lt;pad&gt;, &lt;unk&gt;,
/// &lt;extra_id_k&gt; = vocab_size − 1 − k), SentencePiece unigram encoding of each text piece, &lt;/s&gt; appended
/// unless the text already ends with it, truncation to max_length (content first cut to max_length − 1), padding
/// with &lt;pad&gt;. Thread-safe once loaded.
/// </summary>
public sealed partial class T5Tokenizer
{
    /// <summary>T5Tokenizer's default number of &lt;extra_id_k&gt; sentinel tokens.</summary>
    const int DefaultExtraIds = 100;

    readonly SentencePieceProcessor processor;
    readonly SpecialTokenSplitter splitter;
    readonly int extraIds;

    T5Tokenizer(SentencePieceProcessor processor, int extraIds, IEnumerable<TokenizerConfig.TokenSpec> specialTokens, int eosId, int padId)
    {
        this.processor = processor;
        this.extraIds = extraIds;
        EosId = eosId;
        PadId = padId;
        splitter = new SpecialTokenSplitter(specialTokens.Select(t => t.WithId(TokenToId(t.Content))));
    }

    public int EosId { get; }
    public int PadId { get; }
    public int UnknownId => processor.UnknownId;

    /// <summary>SentencePiece pieces + extra ids (32100 for T5 v1.1; its embedding has 32128 rows).</summary>
    public int VocabSize => processor.PieceCount + extraIds;

    /// <exception cref="ModelFolderException">A file is missing or malformed; the message names it.</exception>
    public static T5Tokenizer Load(string folder)
    {
        string modelPath = TokenizerFiles.Require(folder, "T5", TokenizerFiles.SentencePieceModel)[0];
        SentencePieceProcessor processor;
        try
        {
            processor = new SentencePieceProcessor(SentencePieceModel.Parse(File.ReadAllBytes(modelPath)));
        }
        catch (InvalidDataException e)
        {
            throw new ModelFolderException($"{modelPath}: not a usable SentencePiece model ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFolderException($"{modelPath}: cannot read file ({e.Message.ReplaceLineEndings(" ")})");
        }
        var config = TokenizerConfig.Read(folder);
        string configPath = Path.Combine(folder, TokenizerConfig.ConfigFileName);
        int extraIds = config.Integer("extra_ids") ?? DefaultExtraIds;
        var eos = config.Token("eos_token") ?? TokenizerConfig.TokenSpec.Default("</s>");
        var unk = config.Token("unk_token") ?? TokenizerConfig.TokenSpec.Default("<unk>");
        var pad = config.Token("pad_token") ?? TokenizerConfig.TokenSpec.Default("<pad>");
        var additional = config.AdditionalSpecialTokens
            ?? Enumerable.Range(0, extraIds).Select(k => TokenizerConfig.TokenSpec.Default($"<extra_id_{k}>")).ToArray();
        int extraIdTokens = additional.Select(t => t.Content).Where(t => t.Contains("extra_id", StringComparison.Ordinal)).Distinct().Count();
        if (extraIds > 0 && extraIdTokens != extraIds)
            throw new ModelFolderException($"{configPath}: extra_ids is {extraIds} but additional_special_tokens holds {extraIdTokens} <extra_id_k> tokens");
        int PieceId(TokenizerConfig.TokenSpec token) => processor.PieceToId(token.Content) is var id && (id != processor.UnknownId || token == unk)
            ? id
            : throw new ModelFolderException($"{token.Origin(modelPath)}: special token '{token.Content}' is not a piece of {modelPath}");
        int eosId = PieceId(eos), padId = PieceId(pad);
        return new T5Tokenizer(processor, extraIds, new[] { eos, unk, pad }.Concat(additional), eosId, padId);
    }

    /// <summary>tokenizer(text, padding="max_length", max_length=maxLength, truncation=True), as SD3 calls it with
    /// max_sequence_length.</summary>
    /// <param name="maxLength">Length of <see cref="TokenizedText.Ids"/>; at least 1.</param>
    public TokenizedText Encode(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        foreach (var piece in splitter.Split(text))
        {
            if (piece.Special != null) tokens.Add(piece.Text);
            else tokens.AddRange(processor.Encode(piece.Text).Select(p => p.Piece));
        }
        var ids = tokens.Select(TokenToId).ToList();
        var (padded, untruncated, truncated) = TokenSequence.Build(ids, maxLength, PadId, 1, AppendEosIfMissing);
        return new TokenizedText(padded, untruncated, truncated, [.. tokens]);
    }

    /// <summary>sp.encode(text): SentencePiece alone on the whole text, no special tokens split or added.</summary>
    internal int[] SentencePieceIds(string text) => processor.Encode(text).Select(p => p.Id).ToArray();

    /// <summary>The text of some ids, for messages such as diffusers' truncation warning ("▁" as spaces, special
    /// tokens as written; not transformers' exact decode).</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            if (id >= 0 && id < processor.PieceCount) text.Append(processor.PieceText(id));
            else if (id >= processor.PieceCount && id < VocabSize) text.Append($"<extra_id_{VocabSize - 1 - id}>");
        }
        return text.Replace('\u2581', ' ').ToString().Trim();
    }

    /// <summary>T5Tokenizer._add_eos_if_not_present.</summary>
    int[] AppendEosIfMissing(IReadOnlyList<int> content) =>
        content.Count > 0 && content[^1] == EosId ? [.. content] : [.. content, EosId];

    /// <summary>T5Tokenizer._convert_token_to_id: sentinel tokens count down from the top of the vocabulary.</summary>
    int TokenToId(string token)
    {
        if (token.StartsWith("<extra_id_", StringComparison.Ordinal) && ExtraIdPattern().Match(token) is { Success: true } match
            && int.TryParse(match.Groups[1].ValueSpan, out int k))
            return VocabSize - k - 1;
        return processor.PieceToId(token);
    }

    [GeneratedRegex(@"^<extra_id_([0-9]+)>", RegexOptions.CultureInvariant)]
    private static partial Regex ExtraIdPattern();
}
