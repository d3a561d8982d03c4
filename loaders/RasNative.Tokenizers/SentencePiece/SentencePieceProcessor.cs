using System.Text;

namespace RasNative.Tokenizers.SentencePiece;

/// <summary>
/// A unigram spiece.model ready to encode: sp.encode(text, out_type=str) and sp.piece_to_id(piece) of the
/// SentencePiece Python binding.
/// </summary>
sealed class SentencePieceProcessor
{
    readonly SentencePieceModel model;
    readonly SentencePieceNormalizer normalizer;
    readonly UnigramModel unigram;
    readonly Dictionary<string, int> idOfPiece = new(StringComparer.Ordinal);

    /// <exception cref="InvalidDataException">Not a model this class can encode with.</exception>
    public SentencePieceProcessor(SentencePieceModel model)
    {
        if (model.Type != SentencePieceModel.ModelType.Unigram)
            throw new InvalidDataException($"model type {model.Type} is not supported (T5 uses a unigram model)");
        if (model.ByteFallback) throw new InvalidDataException("byte_fallback models are not supported (T5 does not use byte fallback)");
        if (model.TreatWhitespaceAsSuffix) throw new InvalidDataException("treat_whitespace_as_suffix is not supported (T5 does not set it)");
        this.model = model;
        int unknownId = -1;
        ByteTrie? userDefined = null;
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            if (!idOfPiece.TryAdd(piece.Text, id)) throw new InvalidDataException($"piece '{piece.Text}' is defined twice");
            if (piece.Type == SentencePieceModel.PieceType.Unknown)
                unknownId = unknownId < 0 ? id : throw new InvalidDataException("more than one unknown piece");
            if (piece.Type == SentencePieceModel.PieceType.UserDefined) (userDefined ??= new ByteTrie()).Add(Encoding.UTF8.GetBytes(piece.Text), id);
        }
        if (unknownId < 0) throw new InvalidDataException("no piece of type UNKNOWN");
        UnknownId = unknownId;
        var charsMap = model.PrecompiledCharsMap.Length > 0 ? PrecompiledCharsMap.Parse(model.PrecompiledCharsMap) : null;
        normalizer = new SentencePieceNormalizer(model, charsMap, userDefined);
        unigram = new UnigramModel(model, unknownId);
    }

    public int UnknownId { get; }

    public int PieceCount => model.Pieces.Count;

    public string PieceText(int id) => model.Pieces[id].Text;

    /// <summary>The pieces of a text (runs of unknown characters merged into one piece).</summary>
    public List<(string Piece, int Id)> Encode(string text) => unigram.Encode(normalizer.Normalize(text));

    /// <summary>The id of a piece, the unknown id for anything else.</summary>
    public int PieceToId(string piece) => idOfPiece.TryGetValue(piece, out int id) ? id : UnknownId;
}
