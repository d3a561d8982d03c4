using System.Buffers.Binary;
using System.Text;
using StbImageSharp;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>
/// Reads a PNG back independently of the writer: pixels through StbImageSharp, chunks walked here with their CRC-32
/// checked by this file's own table (not System.IO.Hashing, which the writer uses), and the iTXt text chunks parsed.
/// </summary>
internal static class PngFile
{
    static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    })];

    /// <summary>[H, W, 3] pixels, width and height.</summary>
    public static (byte[] Pixels, int Width, int Height) Pixels(string path)
    {
        var image = ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.RedGreenBlue);
        return (image.Data, image.Width, image.Height);
    }

    /// <summary>Every chunk's type and data, in file order, after checking the signature, each CRC and the IEND at the end.</summary>
    public static List<(string Type, byte[] Data)> Chunks(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        var chunks = new List<(string, byte[])>();
        for (int at = 8; at < bytes.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = Encoding.ASCII.GetString(bytes, at + 4, 4);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 8 + length));
            Assert.True(crc == Crc(bytes.AsSpan(at + 4, 4 + length)), $"chunk {type}: CRC mismatch");
            chunks.Add((type, bytes[(at + 8)..(at + 8 + length)]));
            at += 12 + length;
        }
        Assert.Equal("IHDR", chunks[0].Item1);
        Assert.Equal("IEND", chunks[^1].Item1);
        return chunks;
    }

    /// <summary>The text of the iTXt chunk with <paramref name="keyword"/> (uncompressed, as the writer stores it), or null.</summary>
    public static string? InternationalText(string path, string keyword)
    {
        foreach (var (type, data) in Chunks(path).Where(c => c.Type == "iTXt"))
        {
            int keywordEnd = Array.IndexOf(data, (byte)0);
            if (Encoding.Latin1.GetString(data, 0, keywordEnd) != keyword) continue;
            Assert.Equal(0, data[keywordEnd + 1]);   // not compressed
            int languageEnd = Array.IndexOf(data, (byte)0, keywordEnd + 3);
            int translatedEnd = Array.IndexOf(data, (byte)0, languageEnd + 1);
            return Encoding.UTF8.GetString(data, translatedEnd + 1, data.Length - translatedEnd - 1);
        }
        return null;
    }

    static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    /// <summary>Largest per-byte difference.</summary>
    public static int MaxDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        return worst;
    }
}
