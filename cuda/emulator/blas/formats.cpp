#include "formats.h"

#include <cmath>
#include <limits>

namespace rasemu::blas {

const char* type_name(int t) {
    switch (t) {
    case R32F: return "CUDA_R_32F";
    case R64F: return "CUDA_R_64F";
    case R16F: return "CUDA_R_16F";
    case R16BF: return "CUDA_R_16BF";
    case R8F_E4M3: return "CUDA_R_8F_E4M3";
    case R8F_E5M2: return "CUDA_R_8F_E5M2";
    default: return "an unsupported cudaDataType";
    }
}

namespace {

float decode_e4m3(unsigned v) {
    unsigned e = (v >> 3) & 0xf, m = v & 7;
    float sign = (v & 0x80) ? -1.0f : 1.0f;
    if (e == 15 && m == 7) return std::numeric_limits<float>::quiet_NaN();
    if (e == 0) return sign * std::ldexp(float(m), -9);
    return sign * std::ldexp(1.0f + float(m) / 8.0f, int(e) - 7);
}

float decode_e5m2(unsigned v) {
    unsigned e = (v >> 2) & 0x1f, m = v & 3;
    float sign = (v & 0x80) ? -1.0f : 1.0f;
    if (e == 31) return m == 0 ? sign * std::numeric_limits<float>::infinity() : std::numeric_limits<float>::quiet_NaN();
    if (e == 0) return sign * std::ldexp(float(m), -16);
    return sign * std::ldexp(1.0f + float(m) / 4.0f, int(e) - 15);
}

// Nearest finite code (ties to the even code, i.e. even mantissa), saturating above the largest finite value.
// Positive codes 0..max_code are increasing in value, so a binary search over the decode table finds it.
uint8_t narrow(float f, const float* table, unsigned max_code, unsigned nan_code) {
    uint8_t sign = std::signbit(f) ? 0x80 : 0;
    if (std::isnan(f)) return uint8_t(sign | nan_code);
    double a = std::fabs(double(f));
    if (a >= table[max_code]) return uint8_t(sign | max_code);
    unsigned lo = 0, hi = max_code; // table[lo] <= a < table[hi]
    while (hi - lo > 1) {
        unsigned mid = (lo + hi) / 2;
        if (table[mid] <= a) lo = mid;
        else hi = mid;
    }
    double below = a - table[lo], above = table[hi] - a;
    unsigned code = below < above ? lo : above < below ? hi : ((lo & 1) ? hi : lo);
    return uint8_t(sign | code);
}

} // namespace

Fp8Tables::Fp8Tables() {
    for (unsigned v = 0; v < 256; v++) {
        e4m3[v] = decode_e4m3(v);
        e5m2[v] = decode_e5m2(v);
    }
}

const Fp8Tables fp8_tables;

uint8_t float_to_e4m3(float f) { return narrow(f, fp8_tables.e4m3, 0x7e, 0x7f); }
uint8_t float_to_e5m2(float f) { return narrow(f, fp8_tables.e5m2, 0x7b, 0x7f); }

} // namespace rasemu::blas
