namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// The float vector operations the kernels need, over one vector width. The kernels are generic over an
/// implementing struct so the JIT emits one specialised copy per width from a single source (the BCL's own
/// ISimdVector is not public).
/// </summary>
internal unsafe interface ISimd<TV>
    where TV : unmanaged
{
    static abstract int Width { get; }

    static abstract TV Zero { get; }

    static abstract TV Create(float value);

    static abstract TV Load(float* source);

    static abstract void Store(float* destination, TV value);

    /// <summary>a·b + addend with a single rounding.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV addend);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Divide(TV a, TV b);

    static abstract TV Max(TV a, TV b);

    static abstract TV Min(TV a, TV b);

    /// <summary>Rounds to the nearest integer, ties to even.</summary>
    static abstract TV Round(TV value);

    /// <summary>2ⁿ for integral n in [−127, 127], built in the exponent field, so n = −127 gives 0.</summary>
    static abstract TV PowerOfTwo(TV n);
}
