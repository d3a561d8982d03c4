using System.Buffers.Binary;

namespace RasNative.Tokenizers.SentencePiece;

/// <summary>
/// SentencePiece's compiled normalisation rules (normalizer_spec.precompiled_charsmap, e.g. nmt_nfkc): a uint32
/// trie size, a Darts-clone double-array trie over UTF-8 input prefixes, then the NUL-terminated replacement
/// strings the trie's values point into.
/// </summary>
sealed class PrecompiledCharsMap
{
    readonly uint[] units;
    readonly byte[] replacements;

    PrecompiledCharsMap(uint[] units, byte[] replacements)
    {
        this.units = units;
        this.replacements = replacements;
    }

    /// <exception cref="InvalidDataException">The blob is not laid out as described.</exception>
    public static PrecompiledCharsMap Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length <= 4) throw new InvalidDataException("precompiled_charsmap is too short");
        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieSize >= (uint)(blob.Length - 4) || trieSize % 4 != 0 || trieSize == 0)
            throw new InvalidDataException($"precompiled_charsmap trie size {trieSize} does not fit its {blob.Length} bytes");
        var units = new uint[trieSize / 4];
        for (int i = 0; i < units.Length; i++) units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob[(4 + 4 * i)..]);
        return new PrecompiledCharsMap(units, blob[(4 + (int)trieSize)..].ToArray());
    }

    /// <summary>
    /// The longest rule matching a prefix of <paramref name="input"/> (Darts commonPrefixSearch; SentencePiece looks
    /// at the first 32 matches only): its length in bytes and its replacement, or 0 when no rule matches.
    /// </summary>
    public int LongestPrefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        const int MaxResults = 32;
        replacement = default;
        int longest = 0, results = 0;
        uint node = 0;
        uint unit = Unit(node);
        node ^= Offset(unit);
        for (int i = 0; i < input.Length; i++)
        {
            node ^= input[i];
            unit = Unit(node);
            if (Label(unit) != input[i]) break;
            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (results++ < MaxResults && i + 1 > longest)
                {
                    longest = i + 1;
                    replacement = ReplacementAt(Value(Unit(node)));
                }
            }
        }
        return longest;
    }

    ReadOnlySpan<byte> ReplacementAt(uint offset)
    {
        if (offset >= replacements.Length) throw new InvalidDataException($"precompiled_charsmap replacement offset {offset} is out of range");
        var rest = replacements.AsSpan((int)offset);
        int end = rest.IndexOf((byte)0);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>Out-of-range indices (only in a corrupt trie) read as an empty unit, which matches nothing.</summary>
    uint Unit(uint index) => index < units.Length ? units[index] : 0;

    static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;
    static uint Value(uint unit) => unit & 0x7FFFFFFF;
    static uint Label(uint unit) => unit & 0x800000FF;
    static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
