using System.Buffers.Binary;

namespace RasNative.Tokenizers.SentencePiece;

/// <summary>The protobuf wire format, just enough to read sentencepiece's ModelProto. Malformed input throws
/// <see cref="InvalidDataException"/>.</summary>
ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    readonly ReadOnlySpan<byte> data = data;
    int position;

    public readonly bool AtEnd => position >= data.Length;

    public (int Field, int WireType) ReadTag()
    {
        ulong tag = ReadVarint();
        if (tag >> 3 is 0 or > int.MaxValue) throw new InvalidDataException($"invalid field number at byte {position}");
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length) throw new InvalidDataException("truncated varint");
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException($"varint longer than 10 bytes at byte {position}");
    }

    /// <summary>An int32 field: negative values are written as 10-byte varints, truncated back to 32 bits.</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    public bool ReadBool() => ReadVarint() != 0;

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(data.Length - position)) throw new InvalidDataException($"field length {length} runs past the end at byte {position}");
        return Take((int)length);
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Take(8); break;
            case LengthDelimited: ReadBytes(); break;
            case Fixed32: Take(4); break;
            default: throw new InvalidDataException($"unsupported wire type {wireType} at byte {position}");
        }
    }

    /// <summary>Checks a field's wire type before reading it.</summary>
    public readonly void Expect(int wireType, int actual, string field)
    {
        if (actual != wireType) throw new InvalidDataException($"field '{field}' has wire type {actual}, expected {wireType}");
    }

    ReadOnlySpan<byte> Take(int count)
    {
        if (count > data.Length - position) throw new InvalidDataException($"truncated field at byte {position}");
        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }
}
