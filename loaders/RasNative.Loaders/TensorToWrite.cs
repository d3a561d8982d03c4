using System.Runtime.InteropServices;

namespace RasNative.Loaders;

/// <summary>A tensor for <see cref="SafetensorsWriter"/>: raw little-endian bytes plus dtype and shape.</summary>
public sealed record TensorToWrite(string Name, DType DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    public static TensorToWrite F32(string name, float[] data, params long[] shape) =>
        new(name, DType.F32, shape, BytesOf<float>(data));

    public static TensorToWrite I64(string name, long[] data, params long[] shape) =>
        new(name, DType.I64, shape, BytesOf<long>(data));

    /// <summary>Stores float32 values as <paramref name="target"/> (F16/BF16 round to nearest even; F64 is exact).</summary>
    public static TensorToWrite Convert(string name, DType target, float[] data, params long[] shape) => target switch
    {
        DType.F32 => F32(name, data, shape),
        DType.F64 => new(name, target, shape, BytesOf<double>(Array.ConvertAll(data, v => (double)v))),
        DType.F16 => new(name, target, shape, BytesOf<ushort>(Array.ConvertAll(data, FloatConversions.SingleToHalf))),
        DType.BF16 => new(name, target, shape, BytesOf<ushort>(Array.ConvertAll(data, FloatConversions.SingleToBFloat16))),
        _ => throw new ArgumentException($"tensor '{name}': cannot convert float32 data to {target}", nameof(target)),
    };

    static byte[] BytesOf<T>(T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
