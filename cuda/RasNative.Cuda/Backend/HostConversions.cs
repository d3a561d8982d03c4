using System.Runtime.InteropServices;

namespace RasNative.Cuda;

/// <summary>
/// float ⇄ storage-dtype bytes on the host for Upload/Download, round-to-nearest-even like the kernels'
/// from_float. (RasNative.Loaders.FloatConversions will provide the same; swap once it is implemented.)
/// </summary>
public static class HostConversions
{
    public static byte[] ToDevice(ReadOnlySpan<float> source, CudaDType dtype)
    {
        var bytes = new byte[source.Length * dtype.ElementSize()];
        switch (dtype)
        {
            case CudaDType.F32:
                MemoryMarshal.AsBytes(source).CopyTo(bytes);
                break;
            case CudaDType.F16:
                var halves = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
                for (int i = 0; i < source.Length; i++) halves[i] = BitConverter.HalfToUInt16Bits((Half)source[i]);
                break;
            default:
                var bf16 = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
                for (int i = 0; i < source.Length; i++) bf16[i] = SingleToBFloat16(source[i]);
                break;
        }
        return bytes;
    }

    public static void FromDevice(ReadOnlySpan<byte> source, CudaDType dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case CudaDType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case CudaDType.F16:
                var halves = MemoryMarshal.Cast<byte, ushort>(source);
                for (int i = 0; i < destination.Length; i++) destination[i] = (float)BitConverter.UInt16BitsToHalf(halves[i]);
                break;
            default:
                var bf16 = MemoryMarshal.Cast<byte, ushort>(source);
                for (int i = 0; i < destination.Length; i++) destination[i] = BitConverter.UInt32BitsToSingle((uint)bf16[i] << 16);
                break;
        }
    }

    public static ushort SingleToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7fffffffu) > 0x7f800000u) return (ushort)((bits >> 16) | 0x40u); // quiet NaN
        return (ushort)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
    }
}
