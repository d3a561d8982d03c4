namespace RasNative.Loaders;

/// <summary>Element types of the safetensors format (names match the header's "dtype" strings).</summary>
public enum DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL }
