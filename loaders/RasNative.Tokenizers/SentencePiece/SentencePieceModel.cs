using System.Text;

namespace RasNative.Tokenizers.SentencePiece;

/// <summary>
/// The parts of a SentencePiece ModelProto (spiece.model) that encoding reads: the pieces with score and type,
/// the trainer settings that change encoding, and the normaliser spec. Field numbers from sentencepiece_model.proto.
/// </summary>
sealed class SentencePieceModel
{
    public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

    public enum ModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 }

    public readonly record struct Piece(string Text, float Score, PieceType Type);

    public List<Piece> Pieces { get; } = [];
    public ModelType Type { get; private set; } = ModelType.Unigram;
    public bool ByteFallback { get; private set; }
    public bool TreatWhitespaceAsSuffix { get; private set; }
    public byte[] PrecompiledCharsMap { get; private set; } = [];
    public bool AddDummyPrefix { get; private set; } = true;
    public bool RemoveExtraWhitespaces { get; private set; } = true;
    public bool EscapeWhitespaces { get; private set; } = true;

    /// <exception cref="InvalidDataException">Not a readable ModelProto.</exception>
    public static SentencePieceModel Parse(ReadOnlySpan<byte> bytes)
    {
        var model = new SentencePieceModel();
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    reader.Expect(ProtobufReader.LengthDelimited, wire, "pieces");
                    model.Pieces.Add(ParsePiece(reader.ReadBytes()));
                    break;
                case 2:
                    reader.Expect(ProtobufReader.LengthDelimited, wire, "trainer_spec");
                    model.ParseTrainerSpec(reader.ReadBytes());
                    break;
                case 3:
                    reader.Expect(ProtobufReader.LengthDelimited, wire, "normalizer_spec");
                    model.ParseNormalizerSpec(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return model;
    }

    static Piece ParsePiece(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes);
        string text = "";
        float score = 0;
        var type = PieceType.Normal;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1: reader.Expect(ProtobufReader.LengthDelimited, wire, "piece"); text = Utf8(reader.ReadBytes(), "piece"); break;
                case 2: reader.Expect(ProtobufReader.Fixed32, wire, "score"); score = reader.ReadFloat(); break;
                case 3:
                    reader.Expect(ProtobufReader.Varint, wire, "type");
                    int value = reader.ReadInt32();
                    type = Enum.IsDefined((PieceType)value) ? (PieceType)value : throw new InvalidDataException($"unknown piece type {value}");
                    break;
                default: reader.Skip(wire); break;
            }
        }
        if (text.Length == 0) throw new InvalidDataException("empty piece");
        return new Piece(text, score, type);
    }

    void ParseTrainerSpec(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 3: reader.Expect(ProtobufReader.Varint, wire, "model_type"); Type = (ModelType)reader.ReadInt32(); break;
                case 24: reader.Expect(ProtobufReader.Varint, wire, "treat_whitespace_as_suffix"); TreatWhitespaceAsSuffix = reader.ReadBool(); break;
                case 35: reader.Expect(ProtobufReader.Varint, wire, "byte_fallback"); ByteFallback = reader.ReadBool(); break;
                default: reader.Skip(wire); break;
            }
        }
    }

    void ParseNormalizerSpec(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 2: reader.Expect(ProtobufReader.LengthDelimited, wire, "precompiled_charsmap"); PrecompiledCharsMap = reader.ReadBytes().ToArray(); break;
                case 3: reader.Expect(ProtobufReader.Varint, wire, "add_dummy_prefix"); AddDummyPrefix = reader.ReadBool(); break;
                case 4: reader.Expect(ProtobufReader.Varint, wire, "remove_extra_whitespaces"); RemoveExtraWhitespaces = reader.ReadBool(); break;
                case 5: reader.Expect(ProtobufReader.Varint, wire, "escape_whitespaces"); EscapeWhitespaces = reader.ReadBool(); break;
                default: reader.Skip(wire); break;
            }
        }
    }

    static string Utf8(ReadOnlySpan<byte> bytes, string field)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"field '{field}' is not valid UTF-8");
        }
    }
}
