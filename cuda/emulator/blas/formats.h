// Storage formats of the emulated cuBLAS/cuBLASLt: the cudaDataType_t values they accept and exact conversions
// between them and float. Widening (fp16/bf16/fp8 -> float) is exact; narrowing rounds to nearest, ties to even,
// as the GPU's cvt.rn does; fp8 narrowing saturates to the largest finite value (cvt.rn.satfinite), NaN stays NaN.
#pragma once
#include <cstdint>
#include <cstring>
#include <immintrin.h>

namespace rasemu::blas {

// cudaDataType_t (library_types.h).
enum DataType : int {
    R32F = 0,
    R64F = 1,
    R16F = 2,
    R16BF = 14,
    R8F_E4M3 = 28,
    R8F_E5M2 = 29,
};

// The types this emulator can read or write; any other cudaDataType_t value is "not supported".
inline bool known_type(int t) {
    return t == R32F || t == R64F || t == R16F || t == R16BF || t == R8F_E4M3 || t == R8F_E5M2;
}

inline bool is_fp8(int t) { return t == R8F_E4M3 || t == R8F_E5M2; }

inline int element_size(int t) {
    switch (t) {
    case R64F: return 8;
    case R32F: return 4;
    case R16F:
    case R16BF: return 2;
    default: return 1;
    }
}

const char* type_name(int t);

inline uint32_t float_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

inline float bits_float(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// F16C: one instruction each way, IEEE round-to-nearest-even, overflow to infinity.
inline float half_to_float(uint16_t h) { return _cvtsh_ss(h); }
inline uint16_t float_to_half(float f) { return _cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT); }

inline float bf16_to_float(uint16_t b) { return bits_float(uint32_t(b) << 16); }

inline uint16_t float_to_bf16(float f) {
    uint32_t u = float_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return uint16_t((u >> 16) | 0x0040u); // NaN stays a (quiet) NaN
    return uint16_t((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

// Keeps the 10 explicit mantissa bits of TF32 (round to nearest, ties to even); the result is a float whose
// low 13 bits are zero. Infinity and NaN pass through.
inline float round_to_tf32(float f) {
    uint32_t u = float_bits(f);
    if ((u & 0x7f800000u) == 0x7f800000u) return f;
    return bits_float((u + 0xfffu + ((u >> 13) & 1u)) & ~0x1fffu);
}

inline float round_to_bf16(float f) { return bf16_to_float(float_to_bf16(f)); }
inline float round_to_half(float f) { return half_to_float(float_to_half(f)); }

// fp8 (OCP FP8 formats as on Hopper): E4M3 has no infinity and one NaN pattern per sign (0x7f), max 448;
// E5M2 is IEEE-like (infinity, NaNs), max 57344.
struct Fp8Tables {
    float e4m3[256];
    float e5m2[256];
    Fp8Tables();
};
extern const Fp8Tables fp8_tables;

inline float e4m3_to_float(uint8_t v) { return fp8_tables.e4m3[v]; }
inline float e5m2_to_float(uint8_t v) { return fp8_tables.e5m2[v]; }
uint8_t float_to_e4m3(float f);
uint8_t float_to_e5m2(float f);

} // namespace rasemu::blas
