namespace RasNative.Cuda;

/// <summary>
/// One kernel parameter as the 8-byte slot cuLaunchKernel reads it from: the driver copies the parameter's
/// own size, so 4-byte int/float values sit in the low bytes (little-endian) and device pointers fill it.
/// </summary>
public readonly struct KernelArg
{
    KernelArg(ulong bits) => Bits = bits;

    public ulong Bits { get; }

    public static implicit operator KernelArg(int value) => new((uint)value);

    public static implicit operator KernelArg(long value) => new((ulong)value);

    public static implicit operator KernelArg(float value) => new(BitConverter.SingleToUInt32Bits(value));

    /// <summary>A device pointer (0 = null).</summary>
    public static implicit operator KernelArg(ulong pointer) => new(pointer);
}
