using System.Runtime.InteropServices;

namespace RasNative.Loaders;

/// <summary>
/// A tensor as its checkpoint stores it: element format, raw little-endian bytes, shape, and the per-tensor scale
/// its fp8 codes are multiplied by (1 where the file carries none; only fp8 tensors may carry one). Bytes read
/// from a file are a view into its memory mapping, valid only until that source is disposed, so a consumer packs,
/// uploads or decodes them before then.
/// </summary>
public readonly ref struct StoredTensor
{
    public StoredTensor(DType format, ReadOnlySpan<byte> bytes, long[] shape, float scale = 1f)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0) throw new ArgumentException($"negative dimension in shape {Text(shape)}", nameof(shape));
            count = checked(count * dim);
        }
        if (bytes.Length != count * format.ElementSize())
            throw new ArgumentException($"{bytes.Length} bytes for shape {Text(shape)} x {format}", nameof(bytes));
        if (!float.IsFinite(scale) || scale <= 0)
            throw new ArgumentException($"scale {scale} is not a positive finite number", nameof(scale));
        if (scale != 1f && !format.IsFloat8())
            throw new ArgumentException($"a {format} tensor cannot carry a scale (only fp8 tensors do)", nameof(scale));
        Format = format;
        Bytes = bytes;
        Shape = shape;
        Scale = scale;
        ElementCount = count;
    }

    public DType Format { get; }

    public ReadOnlySpan<byte> Bytes { get; }

    public long[] Shape { get; }

    /// <summary>Value = decode(code) · Scale, in float32.</summary>
    public float Scale { get; }

    public long ElementCount { get; }

    public string ShapeText => Text(Shape);

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> equal blocks of leading rows (one Linear of a concatenation
    /// [parts·out, in]) as a tensor [rows / parts, ..] of its own with <paramref name="scale"/>, without copying.
    /// </summary>
    public StoredTensor Part(int part, int parts, float scale)
    {
        if (parts < 1 || part < 0 || part >= parts || Shape.Length == 0 || Shape[0] % parts != 0)
            throw new ArgumentException($"part {part} of {parts} of a tensor {ShapeText}");
        long count = ElementCount / parts, size = count * Format.ElementSize();
        return new StoredTensor(Format, Bytes.Slice(checked((int)(part * size)), checked((int)size)), [Shape[0] / parts, .. Shape[1..]], scale);
    }

    /// <summary>Float32 values of a tensor with float32 storage (e.g. generated weights), without copying.</summary>
    public static StoredTensor F32(ReadOnlySpan<float> values, params long[] shape) =>
        new(DType.F32, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Every value as float32 (exact for the 8/16/32-bit formats, see <see cref="FloatFormats.Widen"/>).</summary>
    public void Widen(Span<float> destination)
    {
        if (destination.Length != ElementCount)
            throw new ArgumentException($"destination has {destination.Length} elements, tensor {ElementCount}", nameof(destination));
        FloatFormats.Widen(Format, Bytes, Scale, destination);
    }

    public float[] ToFloat32()
    {
        var values = new float[ElementCount];
        Widen(values);
        return values;
    }

    static string Text(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
