namespace RasNative.Loaders;

/// <summary>Sizes and safetensors header names of <see cref="DType"/> values.</summary>
public static class DTypes
{
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.F64 or DType.I64 => 8,
        DType.F32 or DType.I32 => 4,
        DType.F16 or DType.BF16 or DType.I16 => 2,
        DType.I8 or DType.U8 or DType.BOOL or DType.F8_E4M3 or DType.F8_E5M2 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.F64 or DType.F32 or DType.F16 or DType.BF16 or DType.F8_E4M3 or DType.F8_E5M2;

    /// <summary>The 8-bit float formats (whose tensors may carry a per-tensor scale, see <see cref="StoredTensor"/>).</summary>
    public static bool IsFloat8(this DType dtype) => dtype is DType.F8_E4M3 or DType.F8_E5M2;

    /// <summary>The formats a weight is kept in as stored (F32, F16, BF16, F8_E4M3, F8_E5M2); F64 is narrowed to F32 on load.</summary>
    public static bool IsWeightFormat(this DType dtype) => dtype is DType.F32 or DType.F16 or DType.BF16 || dtype.IsFloat8();

    /// <summary>The header spelling, e.g. "F32" (the enum names are chosen to match it).</summary>
    public static string ToSafetensorsName(this DType dtype) =>
        Enum.IsDefined(dtype) ? dtype.ToString() : throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);

    /// <summary>Case-sensitive, as in the reference implementation; numeric strings are rejected.</summary>
    public static bool TryParseSafetensorsName(string name, out DType dtype)
    {
        foreach (var candidate in Enum.GetValues<DType>())
        {
            if (candidate.ToString() == name)
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }
}
