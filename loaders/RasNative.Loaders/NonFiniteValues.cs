using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace RasNative.Loaders;

/// <summary>
/// Finds NaN and ∞ in stored float bytes without decoding them: a value is non-finite exactly when its exponent
/// field is all ones (F32, F16, BF16, F8_E5M2, F64), or for F8_E4M3, which has no infinities, when it is the NaN
/// code S.1111.111. One vectorised pass over the bytes, so a checkpoint is read once more, never widened for it.
/// A per-tensor fp8 scale can overflow finite codes into ∞ (decode(code)·scale in float32), so for fp8 the codes
/// whose scaled value is not finite are worked out first and then searched for.
/// </summary>
public static class NonFiniteValues
{
    static readonly SearchValues<byte> E4M3Codes = NonFiniteCodes(DType.F8_E4M3, 1f);
    static readonly SearchValues<byte> E5M2Codes = NonFiniteCodes(DType.F8_E5M2, 1f);

    /// <summary>The index of the first element whose value (decode · <paramref name="scale"/>) is NaN or ±∞, or −1.</summary>
    public static int IndexOf(DType format, ReadOnlySpan<byte> raw, float scale = 1f)
    {
        if (scale != 1f && !format.IsFloat8())
            throw new ArgumentException($"a {format} tensor cannot carry a scale (only fp8 tensors do)", nameof(scale));
        return format switch
        {
            DType.F32 => IndexOfAllOnes(MemoryMarshal.Cast<byte, uint>(raw), 0x7F80_0000u),
            DType.F64 => IndexOfAllOnes(MemoryMarshal.Cast<byte, ulong>(raw), 0x7FF0_0000_0000_0000ul),
            DType.F16 => IndexOfAllOnes(MemoryMarshal.Cast<byte, ushort>(raw), (ushort)0x7C00),
            DType.BF16 => IndexOfAllOnes(MemoryMarshal.Cast<byte, ushort>(raw), (ushort)0x7F80),
            DType.F8_E4M3 or DType.F8_E5M2 => raw.IndexOfAny(scale != 1f ? NonFiniteCodes(format, scale) : format == DType.F8_E4M3 ? E4M3Codes : E5M2Codes),
            _ => throw new ArgumentException($"{format} is not a floating-point format", nameof(format)),
        };
    }

    /// <summary>The first element of float32 values that is NaN or ±∞, or −1.</summary>
    public static int IndexOf(ReadOnlySpan<float> values) => IndexOf(DType.F32, MemoryMarshal.AsBytes(values));

    /// <summary>The first code whose bits under <paramref name="mask"/> are all set.</summary>
    static int IndexOfAllOnes<T>(ReadOnlySpan<T> codes, T mask)
        where T : unmanaged, IBinaryInteger<T>
    {
        var masks = new Vector<T>(mask);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= codes.Length - Vector<T>.Count; i += Vector<T>.Count)
                if (Vector.EqualsAny(new Vector<T>(codes[i..]) & masks, masks))
                    break;
        for (; i < codes.Length; i++)
            if ((codes[i] & mask) == mask)
                return i;
        return -1;
    }

    /// <summary>The fp8 codes whose decoded value times the scale is not a finite float32.</summary>
    static SearchValues<byte> NonFiniteCodes(DType format, float scale)
    {
        Span<byte> codes = stackalloc byte[256];
        for (int c = 0; c < 256; c++) codes[c] = (byte)c;
        Span<float> values = stackalloc float[256];
        FloatFormats.Widen(format, codes, scale, values);
        var bad = new List<byte>();
        for (int c = 0; c < 256; c++)
            if (!float.IsFinite(values[c]))
                bad.Add((byte)c);
        return SearchValues.Create([.. bad]);
    }
}
