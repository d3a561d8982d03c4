namespace RasNative.Loaders;

/// <summary>
/// Element types of the safetensors format (names match the header's "dtype" strings). F8_E4M3 is PyTorch's
/// float8_e4m3fn (bias 7, no infinities, S.1111.111 = NaN); F8_E5M2 is float8_e5m2 (IEEE-like: bias 15, inf and NaN).
/// </summary>
public enum DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, F8_E4M3, F8_E5M2 }
