using RasNative.Loaders;

namespace RasNative.Tokenizers.Clip;

/// <summary>
/// transformers' slow CLIPTokenizer without ftfy, from a tokenizer folder (vocab.json + merges.txt, optional
/// tokenizer_config.json / special_tokens_map.json): special-token split, BasicTokenizer clean-up, CLIP's
/// pre-tokeniser, byte-level BPE, then [BOS] content [EOS] truncated to and padded with the folder's pad token up to
/// model_max_length. SD3's two CLIP tokenizers differ only in their pad token: CLIP-L pads with
/// &lt;|endoftext|&gt;, CLIP-G with "!" (id 0), which also makes every "!" in a CLIP-G prompt a token of its own.
/// Thread-safe once loaded.
/// </summary>
public sealed class ClipTokenizer
{
    /// <summary>The length SD3 uses when a config does not state model_max_length: CLIP's 77 positions.</summary>
    public const int DefaultMaxLength = 77;

    readonly ClipBpe bpe;
    readonly SpecialTokenSplitter splitter;

    ClipTokenizer(ClipBpe bpe, SpecialTokenSplitter splitter, int bosId, int eosId, int padId, int maxLength)
    {
        this.bpe = bpe;
        this.splitter = splitter;
        BosId = bosId;
        EosId = eosId;
        PadId = padId;
        ModelMaxLength = maxLength;
    }

    public int BosId { get; }
    public int EosId { get; }
    public int PadId { get; }

    /// <summary>tokenizer_config.json's model_max_length (77 for SD3's CLIP tokenizers), else <see cref="DefaultMaxLength"/>.</summary>
    public int ModelMaxLength { get; }

    /// <summary>One more than the largest id in vocab.json (49408 for the real CLIP vocabulary).</summary>
    public int VocabSize => bpe.VocabSize;

    /// <exception cref="ModelFolderException">A file is missing or malformed; the message names it.</exception>
    public static ClipTokenizer Load(string folder)
    {
        var paths = TokenizerFiles.Require(folder, "CLIP", TokenizerFiles.ClipVocab, TokenizerFiles.ClipMerges);
        var config = TokenizerConfig.Read(folder);
        // CLIPTokenizer wraps bos/eos/unk given as strings in AddedToken(lstrip=False, rstrip=False); pad stays as given.
        var bos = AsAddedToken(config.Token("bos_token") ?? TokenizerConfig.TokenSpec.Default("<|startoftext|>"));
        var eos = AsAddedToken(config.Token("eos_token") ?? TokenizerConfig.TokenSpec.Default("<|endoftext|>"));
        var unk = AsAddedToken(config.Token("unk_token") ?? TokenizerConfig.TokenSpec.Default("<|endoftext|>"));
        var pad = config.Token("pad_token") ?? TokenizerConfig.TokenSpec.Default("<|endoftext|>");
        var bpe = ClipBpe.Load(paths[0], paths[1], unk.Content);
        int Id(TokenizerConfig.TokenSpec token) => bpe.TryGetId(token.Content, out int id)
            ? id
            : throw new ModelFolderException($"{token.Origin(paths[0])}: special token '{token.Content}' is not in {paths[0]}");
        var specials = new List<SpecialToken> { bos.WithId(Id(bos)), eos.WithId(Id(eos)), unk.WithId(Id(unk)), pad.WithId(Id(pad)) };
        specials.AddRange((config.AdditionalSpecialTokens ?? []).Select(t => t.WithId(Id(t))));
        int maxLength = config.Integer("model_max_length") ?? DefaultMaxLength;
        if (maxLength < 2) throw new ModelFolderException($"{Path.Combine(folder, TokenizerConfig.ConfigFileName)}: model_max_length must be at least 2");
        return new ClipTokenizer(bpe, new SpecialTokenSplitter(specials), Id(bos), Id(eos), Id(pad), maxLength);
    }

    /// <summary>tokenizer(text, padding="max_length", max_length=ModelMaxLength, truncation=True), as SD3 calls it.</summary>
    public TokenizedText Encode(string text) => Encode(text, ModelMaxLength);

    /// <param name="maxLength">Length of <see cref="TokenizedText.Ids"/>; at least 2 (BOS and EOS).</param>
    public TokenizedText Encode(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var ids = new List<int>();
        foreach (var piece in splitter.Split(text))
        {
            if (piece.Special != null)
            {
                tokens.Add(piece.Text);
                ids.Add(piece.Special.Id);
                continue;
            }
            foreach (var preToken in ClipPreTokenizer.Split(ClipTextCleaner.Clean(piece.Text)))
                bpe.Encode(preToken, tokens, ids);
        }
        var (padded, untruncated, truncated) = TokenSequence.Build(ids, maxLength, PadId, 2, content => [BosId, .. content, EosId]);
        return new TokenizedText(padded, untruncated, truncated, [.. tokens]);
    }

    /// <summary>The text of some ids, for messages such as diffusers' truncation warning (special tokens included
    /// as written; not transformers' exact decode clean-up).</summary>
    public string Decode(ReadOnlySpan<int> ids) => bpe.Decode(ids);

    static TokenizerConfig.TokenSpec AsAddedToken(TokenizerConfig.TokenSpec token) =>
        token.IsAddedTokenObject ? token : token with { IsAddedTokenObject = true };
}
