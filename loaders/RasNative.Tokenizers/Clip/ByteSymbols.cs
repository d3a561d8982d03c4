namespace RasNative.Tokenizers.Clip;

/// <summary>
/// GPT-2's bytes_to_unicode: every byte becomes one printable character, so BPE works on strings without
/// whitespace or control characters. Printable Latin-1 bytes map to themselves, the other 68 to U+0100 onward.
/// </summary>
static class ByteSymbols
{
    static readonly char[] ForByte = Build();
    static readonly Dictionary<char, byte> ToByte = Enumerable.Range(0, 256).ToDictionary(b => ForByte[b], b => (byte)b);

    public static char Of(byte value) => ForByte[value];

    /// <summary>The byte a symbol stands for; false for characters that are not byte symbols.</summary>
    public static bool TryGetByte(char symbol, out byte value) => ToByte.TryGetValue(symbol, out value);

    static char[] Build()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
