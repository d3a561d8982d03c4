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

    /// <summary>The platform's single-instruction maximum: where an operand is NaN, x86 returns b, Arm64 NaN.</summary>
    static abstract TV Max(TV a, TV b);

    /// <summary>The platform's single-instruction minimum: where an operand is NaN, x86 returns b, Arm64 NaN.</summary>
    static abstract TV Min(TV a, TV b);

    static abstract TV Abs(TV value);

    /// <summary>|magnitude| with the sign bit of <paramref name="sign"/>.</summary>
    static abstract TV CopySign(TV magnitude, TV sign);

    /// <summary>The bits of each lane as an integer shifted left by 23: the low 9 bits become the sign and exponent.</summary>
    static abstract TV ShiftIntoExponent(TV value);
}
