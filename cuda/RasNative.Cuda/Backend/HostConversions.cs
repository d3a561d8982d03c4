using System.Runtime.InteropServices;
using RasNative.Loaders;

namespace RasNative.Cuda;

/// <summary>
/// float ⇄ storage-dtype bytes on the host for Upload/Download. The element conversions are
/// <see cref="FloatConversions"/>' (round to nearest even, NaN kept quiet), the same rounding as the kernels' from_float.
/// </summary>
public static class HostConversions
{
    public static byte[] ToDevice(ReadOnlySpan<float> source, CudaDType dtype)
    {
        var bytes = new byte[source.Length * dtype.ElementSize()];
        if (dtype == CudaDType.F32)
        {
            MemoryMarshal.AsBytes(source).CopyTo(bytes);
            return bytes;
        }
        var bits = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
        if (dtype == CudaDType.F16)
            for (int i = 0; i < source.Length; i++) bits[i] = FloatConversions.SingleToHalf(source[i]);
        else
            for (int i = 0; i < source.Length; i++) bits[i] = FloatConversions.SingleToBFloat16(source[i]);
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
                FloatConversions.HalfToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            default:
                FloatConversions.BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
        }
    }
}
