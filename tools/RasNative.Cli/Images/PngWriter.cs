using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using StbImageWriteSharp;

namespace RasNative.Cli.Images;

/// <summary>
/// 8-bit RGB PNGs through StbImageWriteSharp, plus the generation parameters as an iTXt chunk keyed "parameters" (UTF-8
/// text, uncompressed; the key AUTOMATIC1111's web UI and the image viewers that follow it read). stb writes no text
/// chunks, so the chunk is spliced in right after IHDR — before the image data, where every reader (Pillow's open
/// included) sees it without decoding the pixels.
/// </summary>
public static class PngWriter
{
    public const string ParametersKeyword = "parameters";

    static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <param name="rgb">[height, width, 3] bytes.</param>
    /// <param name="parameters">The chunk's text, or null for none.</param>
    public static void Write(Stream stream, byte[] rgb, int width, int height, string? parameters)
    {
        using var encoded = new MemoryStream();
        new ImageWriter().WritePng(rgb, width, height, ColorComponents.RedGreenBlue, encoded);
        var png = encoded.GetBuffer().AsSpan(0, (int)encoded.Length);
        // Signature, then IHDR: length (13), type, 13 data bytes, CRC.
        int afterHeader = Signature.Length + 4 + 4 + 13 + 4;
        if (!png.StartsWith(Signature) || png.Length < afterHeader || !png.Slice(Signature.Length + 4, 4).SequenceEqual("IHDR"u8))
            throw new InvalidOperationException("the PNG encoder did not start its output with the signature and IHDR");
        stream.Write(png[..afterHeader]);
        if (parameters != null) stream.Write(TextChunk(ParametersKeyword, parameters));
        stream.Write(png[afterHeader..]);
    }

    /// <summary>An iTXt chunk: keyword, NUL, compression flag and method 0, empty language tag and translated keyword, UTF-8 text.</summary>
    static byte[] TextChunk(string keyword, string text)
    {
        var data = new List<byte>();
        data.AddRange(Encoding.Latin1.GetBytes(keyword));
        data.AddRange([0, 0, 0, 0, 0]);
        data.AddRange(Encoding.UTF8.GetBytes(text));
        var chunk = new byte[4 + 4 + data.Count + 4];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Count);
        "iTXt"u8.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Count), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Count)));
        return chunk;
    }
}
