using System.Runtime.InteropServices;

namespace RasNative.Loaders;

/// <summary>A tensor for <see cref="SafetensorsWriter"/>: raw little-endian bytes plus dtype and shape.</summary>
public sealed record TensorToWrite(string Name, DType DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    public static TensorToWrite F32(string name, float[] data, params long[] shape) =>
        new(name, DType.F32, shape, BytesOf<float>(data));

    public static TensorToWrite I64(string name, long[] data, params long[] shape) =>
        new(name, DType.I64, shape, BytesOf<long>(data));

    /// <summary>Stores float32 values as <paramref name="target"/> (see <see cref="FloatFormats.Narrow"/>: round to nearest even, F64 exact).</summary>
    public static TensorToWrite Convert(string name, DType target, float[] data, params long[] shape) => target.IsFloatingPoint()
        ? new(name, target, shape, FloatFormats.Narrow(target, data))
        : throw new ArgumentException($"tensor '{name}': cannot convert float32 data to {target}", nameof(target));

    static byte[] BytesOf<T>(T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
