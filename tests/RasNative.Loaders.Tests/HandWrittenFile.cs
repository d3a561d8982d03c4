using System.Buffers.Binary;
using System.Text;

namespace RasNative.Loaders.Tests;

/// <summary>Builds safetensors bytes by hand so tests can describe exactly the malformed header they need.</summary>
static class HandWrittenFile
{
    public static byte[] Build(string headerJson, int dataLength) => Build(Encoding.UTF8.GetBytes(headerJson), dataLength);

    /// <summary>8-byte little-endian header length, the header, then <paramref name="dataLength"/> data bytes (0, 1, 2, …).</summary>
    public static byte[] Build(byte[] header, int dataLength)
    {
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (var i = 0; i < dataLength; i++) bytes[8 + header.Length + i] = (byte)i;
        return bytes;
    }

    /// <summary>Overwrites the length prefix with an arbitrary (possibly lying) value.</summary>
    public static byte[] WithHeaderLength(byte[] file, ulong headerLength)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, headerLength);
        return copy;
    }
}
